package io.github.dfu4j.cli;

import io.github.dfu4j.ops.ProgressEvent;
import io.github.dfu4j.ops.ProgressListener;
import java.io.PrintWriter;

/** A one-line progress bar on stderr: "write   [#########.........]  45%  0x08004000". */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    /** The bar whose line is open (printed without its newline yet), so an error can end it first. */
    private static volatile ProgressBar open;
    private final PrintWriter err;
    private String phase = "";
    private int lastPercent = -1;
    private boolean lineOpen;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar when stderr is a terminal (or forced), otherwise no output. */
    static ProgressListener forTerminal(PrintWriter err, Boolean forced) {
        boolean show = forced != null ? forced : System.console() != null;
        return show ? new ProgressBar(err) : ProgressListener.NONE;
    }

    /**
     * Ends the bar line left open on {@code err} (an error or an interruption in the middle of a phase),
     * so the message that follows starts on a line of its own.
     */
    static void endOpenLine(PrintWriter err) {
        ProgressBar b = open;
        if (b != null && b.err == err) {
            synchronized (b) {
                if (b.lineOpen) {
                    err.println();
                    err.flush();
                    b.lineOpen = false;
                }
            }
        }
    }

    @Override
    public synchronized void onProgress(ProgressEvent event) {
        String name = event.phase().name().toLowerCase();
        int percent = (int) Math.round(event.fraction() * 100);
        if (!name.equals(phase)) {
            if (!phase.isEmpty() && lastPercent >= 0) {
                err.println();
                lineOpen = false;
            }
            phase = name;
            lastPercent = -1;
        }
        if (percent == lastPercent && event.type() == ProgressEvent.Type.ADVANCED) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        String address = event.address().isPresent() ? String.format("  0x%08x", event.address().getAsLong()) : "";
        err.printf("\r%-7s [%s%s] %3d%%%s", name, "#".repeat(filled), ".".repeat(WIDTH - filled), percent, address);
        lineOpen = true;
        open = this;
        if (event.type() == ProgressEvent.Type.FINISHED) {
            err.println();
            lineOpen = false;
            phase = "";
            lastPercent = -1;
        }
        err.flush();
    }
}
