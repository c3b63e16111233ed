package io.github.dfu4j.usbvm;

import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.sim.UsbControlEndpoint;
import io.github.dfu4j.sim.SimOptions.UsbTiming;
import io.github.dfu4j.transport.TimeSource;
import java.io.IOException;
import java.nio.file.Path;

/** Builds the {@link BridgedDevice} for {@code --sim ID} from dfu-stm32's simulator registry. */
final class SimulatorDevices {
    private SimulatorDevices() {
    }

    /** The simulator options the bridge runs a personality with. */
    static SimOptions simOptions(BridgeOptions options) {
        // The real bus carries the transfers and takes its own time: charging simulated bus time on
        // top would count it twice (and, with a real-time clock, sleep for it).
        SimOptions o = SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT);
        o = SimOptionParser.apply(o, options.simOptions());
        return options.realTime().isPresent() ? o.withRealTime(options.realTime().get()) : o.withVirtualTime();
    }

    static BridgedDevice create(BridgeOptions options) throws IOException {
        SimOptions o = simOptions(options);
        SimulatedDevice device = options.stateFile().isPresent()
                ? SimulatedDevices.createOrLoad(options.sim(), options.stateFile().get(), o)
                : SimulatedDevices.create(options.sim(), o);
        return new BridgedDevice() {
            @Override
            public UsbControlEndpoint endpoint() {
                return device.endpoint();
            }

            @Override
            public TimeSource clock() {
                return device.clock();
            }

            @Override
            public void saveState(Path file) throws IOException {
                device.save(file);
            }

            @Override
            public String describe() {
                return device.id() + " (" + device.description() + ")";
            }
        };
    }
}
