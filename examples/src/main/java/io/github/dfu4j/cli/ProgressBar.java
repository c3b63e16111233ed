package io.github.dfu4j.cli;

import io.github.dfu4j.ops.ProgressEvent;
import io.github.dfu4j.ops.ProgressListener;
import java.io.PrintWriter;

/** A one-line progress bar on stderr: "write   [#########.........]  45%  0x08004000". */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private String phase = "";
    private int lastPercent = -1;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar when stderr is a terminal (or forced), otherwise no output. */
    static ProgressListener forTerminal(PrintWriter err, Boolean forced) {
        boolean show = forced != null ? forced : System.console() != null;
        return show ? new ProgressBar(err) : ProgressListener.NONE;
    }

    @Override
    public void onProgress(ProgressEvent event) {
        String name = event.phase().name().toLowerCase();
        int percent = (int) Math.round(event.fraction() * 100);
        if (!name.equals(phase)) {
            if (!phase.isEmpty() && lastPercent >= 0) {
                err.println();
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
        if (event.type() == ProgressEvent.Type.FINISHED) {
            err.println();
            phase = "";
            lastPercent = -1;
        }
        err.flush();
    }
}
