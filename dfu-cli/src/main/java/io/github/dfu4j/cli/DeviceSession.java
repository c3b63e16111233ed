package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.BackendChoice;
import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.UsbBackend;
import io.github.dfu4j.libusb.UsbBackends;
import io.github.dfu4j.record.RecordingTransport;
import io.github.dfu4j.record.ReplayTransport;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * An opened device for one command: a simulated chip or a USB device, closed (and, for a simulator
 * with --sim-state, saved) at the end.
 */
final class DeviceSession implements AutoCloseable {
    private final DeviceOptions options;
    private final SimulatedDevice simulated;
    private final UsbBackend backend;
    private final SimStateFile state;
    private DfuTransport transport;
    private DfuDevice device;

    private DeviceSession(DeviceOptions options, SimulatedDevice simulated, UsbBackend backend, DfuTransport transport,
                          SimStateFile state) {
        this.options = options;
        this.simulated = simulated;
        this.backend = backend;
        this.transport = transport;
        this.state = state;
    }

    static DeviceSession open(DeviceOptions options, String alt) throws IOException {
        Interruption.sessionOpening(); // from here a signal waits for the command to stop; close() ends it
        DeviceSession session;
        try {
            session = openDevice(options, alt);
        } catch (IOException | RuntimeException e) {
            Interruption.sessionClosed();
            throw e;
        }
        if (options.record != null) {
            try {
                session.transport = RecordingTransport.toFile(session.transport, options.record);
            } catch (IOException | RuntimeException e) {
                session.close();
                throw e;
            }
        }
        return session;
    }

    private static DeviceSession openDevice(DeviceOptions options, String alt) throws IOException {
        options.check();
        if (options.replay != null) {
            Inputs.checkReadable(options.replay);
            Inputs.checkRegularUnderCap(options.replay, "--replay "); // the recording is parsed line by line, unbounded
            return new DeviceSession(options, null, null, ReplayTransport.load(options.replay), null);
        }
        if (options.simulated()) {
            // locked before the load and released after the final save: no other dfu process works on this chip meanwhile
            SimStateFile state = options.simState == null ? null : SimStateFile.lock(options.simState, options.err());
            try {
                SimulatedDevice device = openSimulator(options);
                if (state != null) {
                    state.autosave(device);
                }
                return new DeviceSession(options, device, null, device.connect(), state);
            } catch (IOException | RuntimeException e) {
                if (state != null) {
                    state.close();
                }
                throw e;
            }
        }
        BackendChoice choice = parseBackend(options.backend);
        UsbBackend backend = UsbBackends.open(choice);
        try {
            DeviceFilter filter = DeviceFilter.builder().vidPid(options.device).serial(options.serial).path(options.path).alt(alt)
                    .build();
            DfuTransport transport = backend.openInDfuMode(filter, Duration.ofSeconds(options.waitSeconds));
            return new DeviceSession(options, null, backend, transport, null);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    static SimulatedDevice openSimulator(DeviceOptions options) throws IOException {
        String id = options.sim.toLowerCase(Locale.ROOT);
        if (SimulatedDevices.ids().stream().noneMatch(e -> e.id().equals(id))) {
            throw new CliException(ExitCode.USAGE, "unknown simulated device '" + options.sim + "'; 'dfu list --sim' lists them");
        }
        SimOptions simOptions = simTime(options.simTime).withBoot0High(options.simBoot0High);
        for (io.github.dfu4j.stm32.RomQuirk q : options.simulatedQuirks()) {
            simOptions = simOptions.withQuirk(q);
        }
        if (options.simBlockStride != null) {
            simOptions = simOptions.withBlockStride(options.simBlockStride);
        }
        if (options.simState != null && Files.exists(options.simState)) {
            return SimulatedDevices.createOrLoad(id, options.simState, simOptions);
        }
        return SimulatedDevices.create(id, simOptions);
    }

    private static SimOptions simTime(String mode) {
        SimOptions defaults = SimOptions.defaults();
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "real":
                return defaults.withRealTime(1.0);
            case "virtual":
                return defaults.withVirtualTime();
            default:
                try {
                    double factor = Double.parseDouble(mode);
                    if (factor > 0) {
                        return defaults.withRealTime(factor);
                    }
                } catch (NumberFormatException ignored) {
                    // fall through to the usage error
                }
                throw new CliException(ExitCode.USAGE, "--sim-time takes real, virtual or a positive speed-up factor, not '" + mode + "'");
        }
    }

    static BackendChoice parseBackend(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "auto" -> BackendChoice.AUTO;
            case "jna", "libusb" -> BackendChoice.JNA;
            case "usb4java" -> BackendChoice.USB4JAVA;
            default -> throw new CliException(ExitCode.USAGE, "--backend takes auto, jna or usb4java, not '" + name + "'");
        };
    }

    DeviceOptions options() {
        return options;
    }

    DfuTransport transport() {
        return transport;
    }

    /** Where the device is plugged in (a USB port path, or the simulated board). */
    DevicePort port() {
        return transport.port();
    }

    /**
     * Goes on with the device after it left the bus and came back in DFU mode (option-byte write,
     * READ_UNPROTECT): waits up to {@code timeout} for it at its port and makes that the session's
     * transport, closing the old one.
     *
     * @return false when it is not (yet) back in DFU mode, or the session cannot look (a replay)
     */
    boolean reconnect(Duration timeout) throws IOException {
        Optional<DfuTransport> back = transport.port().awaitDfu(timeout);
        if (back.isEmpty()) {
            return false;
        }
        transport.close();
        transport = back.get();
        return true;
    }

    /** A wait that sends nothing to the device. */
    interface Wait<T> {
        T run() throws IOException;
    }

    /**
     * Runs a wait that sends nothing to the device ({@code --wait-app} at the port): the simulator's
     * state is saved first, and a signal during the wait ends dfu at once, as outside a session
     * (docs/user-guide.md: nothing on the device is in progress then).
     */
    <T> T outsideExchange(Wait<T> wait) throws IOException {
        if (simulated != null && state != null) {
            try {
                state.save(simulated);
            } catch (IOException e) {
                throw Inputs.unwritable(options.simState, e);
            }
        }
        Interruption.sessionClosed();
        try {
            return wait.run();
        } finally {
            Interruption.sessionOpening();
        }
    }

    /**
     * The session closes {@code device} first: a {@link DfuDevice} that followed the device through a
     * re-enumeration (a leave that came back in DFU mode) owns the new transport.
     */
    DfuDevice own(DfuDevice device) {
        this.device = device;
        return device;
    }

    /** How long to watch for the device coming back in DFU mode after a leave. */
    Duration leaveWait() {
        return options.leaveWait();
    }

    /** The device for --json output: what it is, VID:PID, serial, port path, and whether it is simulated. */
    java.util.Map<String, Object> identityJson() {
        java.util.Map<String, Object> m = Json.object();
        io.github.dfu4j.transport.DeviceInfo d = transport.device();
        m.put("description", describe());
        m.put("vidPid", d.vidPid());
        m.put("serial", d.serial());
        m.put("port", d.path());
        m.put("simulated", simulated != null);
        return m;
    }

    /** "simulated STM32F405 ROM" or "0483:df11 at 1-2.3" */
    String describe() {
        if (simulated != null) {
            return "simulated " + simulated.description();
        }
        return transport.device().vidPid() + " \"" + transport.device().product() + "\" at " + transport.device().path();
    }

    @Override
    public void close() throws IOException {
        try {
            if (device != null) {
                device.close();
            }
            if (transport != null) {
                transport.close();
            }
            if (simulated != null && state != null) {
                try {
                    state.save(simulated);
                } catch (IOException e) {
                    throw Inputs.unwritable(options.simState, e); // names the state file, not the temporary file beside it
                }
            }
        } finally {
            try {
                if (state != null) {
                    state.close();
                }
            } finally {
                try {
                    if (backend != null) {
                        backend.close();
                    }
                } finally {
                    Interruption.sessionClosed();
                }
            }
        }
    }
}
