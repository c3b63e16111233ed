package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.CancellationToken;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM while the {@code dfu} process runs. Installed by {@link DfuCli#main}
 * only (in-process runs keep the JVM's own handling): the first signal cancels the command's
 * {@link CancellationToken}, so the library stops between two requests and ABORTs the device to
 * dfuIDLE, and the command unwinds normally (one line saying what the chip holds, the --sim-state file
 * saved, the lock released) and exits 128 + the signal number: 130 for SIGINT, 143 for SIGTERM, the
 * shell's convention for a process ended by a signal. If the command has not finished after
 * {@link #WIND_DOWN}, or a second signal comes, the process ends at once.
 *
 * <p>sun.misc.Signal (module jdk.unsupported, exported for exactly this use) is the only JDK API that
 * tells SIGINT from SIGTERM and lets the process finish its own work instead of starting the JVM's
 * shutdown while the command thread still talks to the device.
 */
final class Interruption {
    /** How long the command may take to stop after the signal (a held erase request, the ABORT, the save). */
    static final Duration WIND_DOWN = Duration.ofSeconds(10);

    private static volatile Interruption installed;
    /** Device sessions open now; a signal outside one ends the process at once (nothing to wind down). */
    private static final java.util.concurrent.atomic.AtomicInteger SESSIONS = new java.util.concurrent.atomic.AtomicInteger();

    private final CancellationToken token = new CancellationToken();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final PrintWriter err;
    private volatile Signal signal;

    private Interruption(PrintWriter err) {
        this.err = err;
    }

    /** Handles SIGINT and SIGTERM from now on (a signal the process ignores, e.g. in a background job, stays ignored). */
    static Interruption install(PrintWriter err) {
        Interruption i = new Interruption(err);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), i::onSignal);
            } catch (IllegalArgumentException e) {
                // not available on this platform, or reserved by the VM: the JVM's default handling stays
            }
        }
        installed = i;
        return i;
    }

    /** A device session opens (before its --sim-state lock): a signal now waits for the command to stop. */
    static void sessionOpening() {
        SESSIONS.incrementAndGet();
    }

    /** A device session closed (after the final save and the unlock). */
    static void sessionClosed() {
        SESSIONS.decrementAndGet();
    }

    /** The token device commands pass to the library; never cancelled unless {@link #install} ran. */
    static CancellationToken token() {
        Interruption i = installed;
        return i == null ? CancellationToken.NONE : i.token;
    }

    /** 130 / 143 once a signal came, else empty. */
    static OptionalInt signalExitCode() {
        Interruption i = installed;
        return i == null ? OptionalInt.empty() : i.exitCode();
    }

    /** The exit code of a command that was stopped: the signal's, or 130 when no handler saw one (API use). */
    static int cancelledExitCode() {
        return signalExitCode().orElse(ExitCode.INTERRUPTED);
    }

    OptionalInt exitCode() {
        Signal s = signal;
        return s == null ? OptionalInt.empty() : OptionalInt.of(128 + s.getNumber());
    }

    private void onSignal(Signal s) {
        if (signal != null) {
            ProgressBar.endOpenLine(err);
            err.println("dfu: interrupted again; exiting without waiting for the device");
            err.flush();
            Runtime.getRuntime().halt(128 + s.getNumber());
        }
        signal = s;
        token.cancel();
        if (SESSIONS.get() == 0 && finished.getCount() > 0) {
            // reading files, waiting for an application after the session: nothing on a device to stop
            ProgressBar.endOpenLine(err);
            err.println("dfu: interrupted");
            err.flush();
            Runtime.getRuntime().halt(128 + s.getNumber());
        }
        try {
            if (!finished.await(WIND_DOWN.toMillis(), TimeUnit.MILLISECONDS)) {
                ProgressBar.endOpenLine(err);
                err.println("dfu: interrupted; the command did not stop within " + WIND_DOWN.toSeconds()
                        + " s (the device is still busy), exiting without waiting: the device's state is unknown");
                err.flush();
                Runtime.getRuntime().halt(128 + s.getNumber());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Called by main when the command returned: after a signal the exit code is the signal's, and a
     * command that finished its work anyway (it had no request boundary left to stop at) says so.
     */
    int finish(int code) {
        finished.countDown();
        OptionalInt signalled = exitCode();
        if (signalled.isEmpty() || code == signalled.getAsInt()) {
            return code;
        }
        err.println("dfu: interrupted (SIG" + signal.getName() + ") after the command had " + (code == ExitCode.OK
                ? "finished; its result above stands" : "failed; its error above stands"));
        err.flush();
        return signalled.getAsInt();
    }
}
