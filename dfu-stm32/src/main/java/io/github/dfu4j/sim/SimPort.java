package io.github.dfu4j.sim;

import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The port of a simulated board, seen from one enumeration of it (a {@link SimTransport}): the board
 * is the port. The bootloader on the bus is {@link PortState.Mode#DFU}; a running application is
 * {@link PortState.Mode#RUNTIME} when a {@link RuntimeDfuDevice} gives it a run-time face, else
 * {@link PortState.Mode#OTHER} (the plain board has no USB face for its application, so the port
 * reports the {@link RunningApplication}); a board that is rebooting is {@link PortState.Mode#EMPTY}.
 * Waits run on the board's clock: a virtual clock jumps to the event (re-enumeration, the application
 * starting) or to the deadline.
 */
final class SimPort implements DevicePort {
    private final SimBootloader device;
    private final int generation;
    private final String path;

    SimPort(SimBootloader device, int generation, String path) {
        this.device = device;
        this.generation = generation;
        this.path = path;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public TimeSource time() {
        return device.clock;
    }

    @Override
    public PortState state() {
        synchronized (device) {
            device.sync();
            return stateNow();
        }
    }

    /** Only a later enumeration than the one this port was taken from counts (see SimBootloader.awaitNewEnumeration). */
    @Override
    public Optional<DfuTransport> awaitDfu(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return device.awaitNewEnumeration(generation, timeout).map(gen -> new SimTransport(device, gen));
    }

    @Override
    public Optional<PortState> awaitApplication(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (device) {
            return awaitApplication(device, timeout).map(a -> stateNow());
        }
    }

    /**
     * Waits on the device clock until the chip runs its application, at most {@code timeout}. Empty when
     * it did not start: the chip is still, or again, in the bootloader.
     */
    static Optional<RunningApplication> awaitApplication(SimBootloader device, Duration timeout) {
        synchronized (device) {
            device.sync();
            long deadline = SimClock.saturatedAdd(device.now(), Math.max(0, timeout.toNanos()));
            if (device.app == null && device.onBus && device.offBusAt <= deadline) {
                device.clock.passUntil(device.offBusAt); // mboot answers dfuMANIFEST first, then resets
                device.sync();
            }
            if (device.app == null) {
                device.clock.passUntil(deadline);
                device.sync();
            }
            return Optional.ofNullable(device.app);
        }
    }

    private PortState stateNow() {
        if (device.onBus) {
            DeviceInfo info = new SimTransport(device, device.generation).device();
            return new PortState(PortState.Mode.DFU, Optional.of(info), String.format("%s (DFU mode) at %s", info.vidPid(), path),
                    "");
        }
        RunningApplication a = device.app;
        if (a == null) {
            return PortState.empty(path);
        }
        String detail = String.format("vector table 0x%08x, reset handler 0x%08x", a.vectorTable(), a.entryPoint());
        RuntimeDfuDevice face = device.runtimeFace;
        if (face != null) {
            DeviceInfo info = face.applicationInfo(path);
            return new PortState(PortState.Mode.RUNTIME, Optional.of(info),
                    String.format("%s (run-time DFU interface) at %s", info.vidPid(), path), detail);
        }
        return new PortState(PortState.Mode.OTHER, Optional.empty(), "simulated application at " + path, detail);
    }

    @Override
    public String toString() {
        return "SimPort[" + path + ", from enumeration " + generation + "]";
    }
}
