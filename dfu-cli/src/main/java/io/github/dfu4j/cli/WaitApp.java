package io.github.dfu4j.cli;

import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.PortState;
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
     * What --wait-app saw: the application that appeared at the port (on a simulator: the chip that
     * started it), or why not.
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
     * --wait-app: waits at the port the device left from ({@link DevicePort#awaitApplication}) for any
     * device that is not in DFU mode: on USB the application with a run-time DFU interface or none, on
     * a simulator the chip running its application. Called inside the device session, after the
     * leave: the port releases the session's device handle before it waits (an open handle can keep
     * the OS from re-enumerating the device) and looks through the session's USB backend; a signal
     * during the wait ends dfu at once ({@link DeviceSession#outsideExchange}).
     */
    static AppStart await(LeaveResult leave, DeviceSession session, Duration timeout) throws IOException {
        if (!leave.left()) {
            return notLeft(leave);
        }
        DevicePort port = session.port();
        long start = port.time().nanoTime();
        Optional<PortState> app = session.outsideExchange(() -> port.awaitApplication(timeout));
        long millis = (port.time().nanoTime() - start) / 1_000_000;
        if (app.isPresent()) {
            PortState a = app.get();
            return new AppStart(true, a.summary(), a.detail().isEmpty() ? null : a.detail(), millis, null);
        }
        PortState now = port.state();
        String there = switch (now.mode()) {
            case DFU -> "the device is in DFU mode again (" + now.summary() + "). Check that flash holds the application, BOOT0"
                    + " (must be low), the boot option bytes, and the leave address.";
            case EMPTY -> "the port is empty: the device is still rebooting, or was unplugged.";
            default -> "now there: " + now.summary() + ".";
        };
        return new AppStart(false, null, null, millis, "no application started within " + timeout.toMillis() + " ms at "
                + port.path() + "; " + there);
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
