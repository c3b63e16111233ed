package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.DeviceWaitTimeoutException;
import io.github.dfu4j.libusb.PortDevice;
import io.github.dfu4j.libusb.UsbBackend;
import io.github.dfu4j.libusb.UsbBackends;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.sim.RunningApplication;
import io.github.dfu4j.sim.SimulatedDevice;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --wait-app[=SECONDS]} of {@code dfu flash --leave} and {@code dfu leave}: wait for the application to come up. */
final class WaitApp {
    @Option(names = "--wait-app", arity = "0..1", fallbackValue = "10", paramLabel = "SECONDS",
            description = "After leaving: wait until the application enumerates at the device's USB port (any device not in DFU "
                    + "mode: a run-time DFU interface or none), default 10 s; exit 1 if it does not. Replaces the --leave-wait check.")
    Double seconds;

    /** True when --wait-app was given. */
    boolean requested() {
        return seconds != null;
    }

    /** The --wait-app timeout, or null without the option; it needs one device on USB or a simulator. */
    Duration timeout(DeviceOptions deviceOptions) {
        if (seconds == null) {
            return null;
        }
        if (!(seconds > 0) || seconds > 3600) {
            throw new CliException(ExitCode.USAGE, "--wait-app takes a number of seconds above 0 (at most 3600), not " + seconds);
        }
        if (deviceOptions.replay != null) {
            throw new CliException(ExitCode.USAGE, "--wait-app watches a USB port or a simulator; a --replay session has neither");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * What --wait-app saw: the application that enumerated at the port (or, on a simulator, started),
     * or why not.
     *
     * @param started whether the application came up
     * @param device  "0483:5740 (run-time DFU interface) at 1-2.3", or null when it did not start
     * @param detail  more about it ("vector table 0x08000000, reset handler ..." on a simulator), or null
     * @param millis  how long the wait took, from the end of the leave
     * @param problem why it did not start, or null
     */
    record AppStart(boolean started, String device, String detail, long millis, String problem) {
        void print(PrintWriter out, PrintWriter err) {
            if (started) {
                out.printf("Application started: %s after %d ms%s.%n", device, millis, detail == null ? "" : " (" + detail + ")");
            } else {
                err.println("dfu: --wait-app: the application did not start: " + problem);
            }
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = Json.object();
            m.put("started", started);
            m.put("device", device);
            m.put("detail", detail);
            m.put("afterMillis", started ? millis : null);
            m.put("problem", problem);
            return m;
        }
    }

    /**
     * The wait that belongs inside the device session: on a simulator the chip itself is watched (it has
     * no USB face for its application). Null on USB, where {@link #afterSession} waits instead.
     */
    static AppStart inSession(LeaveResult leave, DeviceSession session, String path, Duration timeout) {
        return session.isSimulated() ? awaitApplication(leave, session.simulated(), path, timeout) : null;
    }

    /** --wait-app on a simulator: the simulated chip runs its application. */
    private static AppStart awaitApplication(LeaveResult leave, SimulatedDevice sim, String path, Duration timeout) {
        if (!leave.left()) {
            return notLeft(leave);
        }
        Duration before = sim.elapsed();
        Optional<RunningApplication> app = sim.awaitApplication(timeout);
        long millis = sim.elapsed().minus(before).toMillis();
        if (app.isPresent()) {
            RunningApplication a = app.get();
            return new AppStart(true, "simulated application at " + path, String.format("vector table 0x%08x, reset handler 0x%08x",
                    a.vectorTable(), a.entryPoint()), millis, null);
        }
        return new AppStart(false, null, null, millis, "no application started within " + timeout.toMillis() + " ms; the simulated "
                + "device is " + (sim.inDfuMode() ? "in DFU mode again. Check that flash holds the application, BOOT0 "
                + "(--sim-boot0-high) and the leave address." : "still rebooting."));
    }

    /**
     * --wait-app on USB: any device not in DFU mode at the port the device left from. Called after the
     * session is closed, since its handle could keep the OS from re-enumerating the device.
     */
    static AppStart afterSession(LeaveResult leave, DeviceOptions deviceOptions, String path, Duration timeout)
            throws IOException {
        if (!leave.left()) {
            return notLeft(leave);
        }
        long start = System.nanoTime();
        try (UsbBackend usb = UsbBackends.open(DeviceSession.parseBackend(deviceOptions.backend))) {
            PortDevice d = usb.awaitDevice(path, PortDevice.APPLICATION, timeout);
            return new AppStart(true, d.summary(), null, (System.nanoTime() - start) / 1_000_000, null);
        } catch (DeviceWaitTimeoutException e) {
            boolean backInDfu = e.lastSeen().map(d -> d.kind() == PortDevice.Kind.DFU_MODE).orElse(false);
            return new AppStart(false, null, null, (System.nanoTime() - start) / 1_000_000, e.getMessage()
                    + (backInDfu ? ". It came back in DFU mode: check BOOT0 (must be low), the boot option bytes, and the leave address." : "."));
        }
    }

    private static AppStart notLeft(LeaveResult leave) {
        return new AppStart(false, null, null, 0, switch (leave.outcome()) {
            case STAYED_IN_DFU -> "the device stayed in DFU mode (manifestation tolerant); reset it to start the application.";
            case CAME_BACK_IN_DFU -> "the device came back in DFU mode.";
            case NO_ANSWER -> "the device did not answer its final status after the leave request and is still on the bus.";
            default -> "leaving DFU mode failed.";
        });
    }

}
