package io.github.dfu4j.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link DeviceProfileProvider}s on the module path or class path, loaded once. */
final class ProfileProviders {
    private ProfileProviders() {
    }

    private static final class Holder {
        static final List<DeviceProfileProvider> ALL = load();

        private static List<DeviceProfileProvider> load() {
            List<DeviceProfileProvider> out = new ArrayList<>();
            ServiceLoader.load(DeviceProfileProvider.class, DeviceProfileProvider.class.getClassLoader()).forEach(out::add);
            return List.copyOf(out);
        }
    }

    static List<DeviceProfileProvider> all() {
        return Holder.ALL;
    }
}
