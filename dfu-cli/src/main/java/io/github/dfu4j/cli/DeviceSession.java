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
    private final java.nio.file.Path stateFile;
    private DfuTransport transport;
    private DfuDevice device;

    private DeviceSession(DeviceOptions options, SimulatedDevice simulated, UsbBackend backend, DfuTransport transport,
                          SimStateFile state, java.nio.file.Path stateFile) {
        this.options = options;
        this.simulated = simulated;
        this.backend = backend;
        this.transport = transport;
        this.state = state;
        this.stateFile = stateFile;
    }

    static DeviceSession open(DeviceOptions options, String alt) throws IOException {
        return open(options, alt, true);
    }

    /**
     * The device as it is, in run-time or DFU mode: nothing is detached ({@code dfu detach}, {@code dfu reset}).
     */
    static DeviceSession openAsIs(DeviceOptions options) throws IOException {
        return open(options, null, false);
    }

    private static DeviceSession open(DeviceOptions options, String alt, boolean dfuMode) throws IOException {
        options.check();
        waitForDevice(options, alt); // before the session: the wait sends nothing, so a signal ends dfu at once
        Interruption.sessionOpening(); // from here a signal waits for the command to stop; close() ends it
        DeviceSession session;
        try {
            session = openDevice(options, alt, dfuMode);
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

    private static DeviceSession openDevice(DeviceOptions options, String alt, boolean dfuMode) throws IOException {
        options.check();
        if (options.replay != null) {
            Inputs.checkReadable(options.replay);
            Inputs.checkRegularUnderCap(options.replay, "--replay "); // the recording is parsed line by line, unbounded
            return new DeviceSession(options, null, null, ReplayTransport.load(options.replay), null, null);
        }
        if (options.simulated()) {
            return openBoard(options, SimBoards.select(options, alt), dfuMode);
        }
        BackendChoice choice = backendChoice(options.backend);
        UsbBackend backend = UsbBackends.open(choice);
        try {
            DeviceFilter filter = DeviceFilter.builder().vidPid(options.device).serial(options.serial).path(options.path).alt(alt)
                    .build();
            DfuTransport transport = dfuMode ? backend.openInDfuMode(filter, Duration.ofSeconds(options.waitSeconds))
                    : backend.open(filter);
            return new DeviceSession(options, null, backend, transport, null, null);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * {@code --wait-device SECONDS}: polls (every 100 ms; the listing sends nothing to a device) until a
     * device the filters match is present, in run-time or DFU mode, or the time is up: then exit 4 with
     * what the last look found. Without the option, or with 0, it does not wait.
     */
    static void waitForDevice(DeviceOptions options, String alt) throws IOException {
        if (options.waitDevice == null || options.waitDevice == 0 || options.replay != null) {
            return;
        }
        long deadline = System.nanoTime() + Math.round(options.waitDevice * 1e9);
        if (options.simulated()) {
            try {
                SimBoards.matching(options, alt); // a simulated board is there from the start, or never
                return;
            } catch (io.github.dfu4j.libusb.UsbException e) {
                sleepUntil(deadline);
                throw waitedInVain(options, e);
            }
        }
        try (UsbBackend usb = UsbBackends.open(backendChoice(options.backend))) {
            io.github.dfu4j.libusb.DeviceFilter filter = SimBoards.filter(options, alt);
            while (true) {
                if (!usb.list(filter).isEmpty()) {
                    return;
                }
                if (System.nanoTime() >= deadline) {
                    throw new CliException(ExitCode.NO_DEVICE, "no DFU device" + (filter.equals(io.github.dfu4j.libusb.DeviceFilter.ANY)
                            ? "" : " matching " + filter.describe()) + " appeared within "
                            + fmt(options.waitDevice) + " s (--wait-device)");
                }
                sleepUntil(Math.min(deadline, System.nanoTime() + 100_000_000L));
            }
        }
    }

    private static CliException waitedInVain(DeviceOptions options, IOException e) {
        return new CliException(ExitCode.NO_DEVICE, DfuCli.oneLine(e) + " (waited " + fmt(options.waitDevice)
                + " s for it with --wait-device)", e);
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    private static void sleepUntil(long deadline) throws IOException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the device");
            }
        }
    }

    /** One simulated board of --sim, with its own --sim-state file (locked until the session closes). */
    static DeviceSession openBoard(DeviceOptions options, SimBoards.Board board, boolean dfuMode) throws IOException {
        // locked before the load and released after the final save: no other dfu process works on this chip meanwhile
        SimStateFile state = board.stateFile() == null ? null : SimStateFile.lock(board.stateFile(), options.err());
        try {
            SimulatedDevice device = openSimulator(options, board);
            if (state != null) {
                state.autosave(device);
            }
            DfuTransport transport;
            if (board.runtime() == null) {
                transport = device.connect();
            } else if (!dfuMode) {
                transport = io.github.dfu4j.sim.RuntimeDfuDevice.start(device, board.runtime()).connect();
            } else {
                // the board powers on into its application; dfu detaches it and finds the bootloader at its port
                DfuTransport runtime = io.github.dfu4j.sim.RuntimeDfuDevice.start(device, board.runtime()).connect();
                transport = Detach.toDfuMode(runtime, Duration.ofSeconds(options.waitSeconds), options.err());
            }
            return new DeviceSession(options, device, null, transport, state, board.stateFile());
        } catch (IOException | RuntimeException e) {
            if (state != null) {
                state.close();
            }
            throw e;
        }
    }

    /**
     * A device that {@code --all} opened on a USB backend it shares with the others (the caller closes
     * the backend once every session is closed).
     */
    static DeviceSession ofOpened(DeviceOptions options, DfuTransport transport) {
        Interruption.sessionOpening();
        return new DeviceSession(options, null, null, transport, null, null);
    }

    static SimulatedDevice openSimulator(DeviceOptions options, SimBoards.Board board) throws IOException {
        String id = board.id();
        SimOptions simOptions = simTime(options.simTime).withBoot0High(options.simBoot0High);
        for (io.github.dfu4j.stm32.RomQuirk q : options.simulatedQuirks()) {
            simOptions = simOptions.withQuirk(q);
        }
        if (options.simTransferSize != null) {
            simOptions = simOptions.withTransferSize(options.simTransferSize);
        }
        if (options.simBlockStride != null) {
            simOptions = simOptions.withBlockStride(options.simBlockStride);
        }
        simOptions = board.apply(simOptions);
        if (board.stateFile() != null && Files.exists(board.stateFile())) {
            return SimulatedDevices.createOrLoad(id, board.stateFile(), simOptions);
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

    /**
     * The USB backend named by {@code --backend}, through the library's parser (one list of names; only the
     * usage error is the CLI's). Every USB backend the tool opens is chosen here first, so this is also where
     * JNA's process settings are made ({@link NativeBoot}).
     */
    static BackendChoice backendChoice(String name) {
        NativeBoot.prepare();
        try {
            return BackendChoice.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--backend takes auto, jna or usb4java, not '" + name + "'");
        }
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

    /**
     * After {@code dfu detach} or {@code dfu reset} left the session's transport behind: the session
     * closes {@code next} (or nothing) instead.
     */
    void replaceTransport(DfuTransport next) {
        transport.close();
        transport = next;
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
                throw Inputs.unwritable(stateFile, e);
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
                    throw Inputs.unwritable(stateFile, e); // names the state file, not the temporary file beside it
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
