package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DeviceProfileProvider;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.util.Optional;

/**
 * dfu-stm32's {@link DeviceProfileProvider}: the ST ROM bootloaders and MicroPython's mboot get their
 * STM32 profile ({@link Identification#identify(io.github.dfu4j.transport.DfuTransport)}, which reads only what the transport already knows); other
 * devices are left to the next provider or the generic profile. Registered with {@code provides} in
 * module-info and in {@code META-INF/services}; not part of the exported API.
 */
public final class Stm32ProfileProvider implements DeviceProfileProvider {

    @Override
    public Optional<DeviceProfile> profileFor(DfuTransport transport) {
        Identification id = Identification.identify(transport);
        return switch (id.kind()) {
            case ST_ROM, MBOOT -> Optional.of(id.profile());
            default -> Optional.empty();
        };
    }
}
