package io.github.dfu4j.usbvm;

import io.github.dfu4j.sim.RuntimeDfuDevice;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimOptions.UsbTiming;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.sim.UsbControlEndpoint;
import io.github.dfu4j.transport.TimeSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds the {@link BridgedDevice} for {@code --sim ID} from dfu-stm32's simulator registry. An id
 * ending in {@code -runtime} or {@code -runtime-reset} (as in the CLI's {@code --sim}, docs/user-guide.md)
 * powers the board on into an application with a DFU run-time interface ({@link RuntimeDfuDevice};
 * bitWillDetach 1 and 0): on the bus it is the application until a DETACH (and, for
 * {@code -runtime-reset}, the host's USB reset) makes it re-enumerate as the bootloader, and a leave
 * brings the application back, each time on the same UDC, so at the same port.
 */
final class SimulatorDevices {
    static final String RUNTIME = "-runtime";
    static final String RUNTIME_RESET = "-runtime-reset";

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
        String id = options.sim();
        Boolean willDetach = null;
        if (id.endsWith(RUNTIME_RESET)) {
            willDetach = false;
            id = id.substring(0, id.length() - RUNTIME_RESET.length());
        } else if (id.endsWith(RUNTIME)) {
            willDetach = true;
            id = id.substring(0, id.length() - RUNTIME.length());
        }
        SimulatedDevice device = options.stateFile().isPresent()
                ? SimulatedDevices.createOrLoad(id, options.stateFile().get(), o)
                : SimulatedDevices.create(id, o);
        RuntimeDfuDevice runtime = willDetach == null ? null : RuntimeDfuDevice.start(device, willDetach);
        return new BridgedDevice() {
            @Override
            public UsbControlEndpoint endpoint() {
                return runtime == null ? device.endpoint() : new OneEnumeration(runtime);
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
                return options.sim() + " (" + device.description()
                        + (runtime == null ? "" : "; powers on into its application with a DFU run-time interface, "
                        + "bitWillDetach " + (runtime.willDetach() ? 1 : 0)) + ")";
            }
        };
    }

    /**
     * The run-time board as one enumeration sees it: disconnected as soon as the board changes face.
     * A leave that starts the application drops the bootloader and puts the application on the bus in
     * the same instant of the board's clock, so the board never reports itself off the bus; the bridge
     * must still take the gadget off the bus, so that the host enumerates the new face. The bridge
     * asks {@link BridgedDevice#endpoint()} afresh for each connection (and while it waits for the
     * device to come back), so each view is pinned to the enumeration that was current when it was made.
     */
    static final class OneEnumeration implements UsbControlEndpoint {
        private final RuntimeDfuDevice board;
        private final int enumeration;

        OneEnumeration(RuntimeDfuDevice board) {
            this.board = board;
            this.enumeration = board.enumeration();
        }

        @Override
        public byte[] deviceDescriptor() {
            return board.deviceDescriptor();
        }

        @Override
        public byte[] configurationDescriptor() {
            return board.configurationDescriptor();
        }

        @Override
        public byte[] stringDescriptor(int index) {
            return board.stringDescriptor(index);
        }

        @Override
        public ControlReply control(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength, byte[] dataOut) {
            return board.control(bmRequestType, bRequest, wValue, wIndex, wLength, dataOut);
        }

        @Override
        public void busReset() {
            board.busReset();
        }

        @Override
        public boolean connected() {
            return board.connected() && board.enumeration() == enumeration;
        }
    }
}
