package io.github.dfu4j.cli;

import io.github.dfu4j.ops.ProgressEvent;
import io.github.dfu4j.ops.ProgressListener;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A one-line progress bar on stderr: "write   [#########.........]  45%  0x08004000", redrawn in
 * place with a carriage return. The line never reaches the terminal's last three columns (a line
 * that fills the width wraps, and every redraw then leaves a wrapped line behind; the terminal
 * echoes Ctrl-C as "^C" after it): the bar narrows with the
 * terminal, then the address goes, then the bar itself. {@link #finishLine()} ends a line that
 * is still open (an interrupted operation), so the next output starts on a line of its own.
 */
final class ProgressBar implements ProgressListener {
    static final int MAX_BAR = 40;
    static final int MIN_BAR = 5;
    private static final int NAME = 7;
    private static final int ADDRESS = 12; // "  0x08004000"
    /** Room left for the terminal's own "^C" echo when the user interrupts. */
    static final int ECHO = 2;
    private static final Set<ProgressBar> OPEN = ConcurrentHashMap.newKeySet();

    private final PrintWriter err;
    private final int barWidth;
    private final int usable;
    private final boolean showAddress;
    private String phase = "";
    private int lastPercent = -1;
    private boolean open;

    ProgressBar(PrintWriter err) {
        this(err, TerminalWidth.columns());
    }

    /** A bar for a terminal of {@code columns} columns. */
    ProgressBar(PrintWriter err, int columns) {
        this.err = err;
        // writing the last column makes many terminals wrap, and the terminal echoes Ctrl-C as "^C" after the bar
        usable = Math.max(0, columns - 1 - ECHO);
        int fixed = NAME + " [".length() + "] ".length() + "100%".length();
        if (usable - fixed - ADDRESS >= MIN_BAR * 2) {
            barWidth = Math.min(MAX_BAR, usable - fixed - ADDRESS);
            showAddress = true;
        } else if (usable - fixed >= MIN_BAR) {
            barWidth = Math.min(MAX_BAR, usable - fixed);
            showAddress = false;
        } else {
            barWidth = 0; // "write   45%" only
            showAddress = false;
        }
    }

    /** A bar when stderr is a terminal (or forced), otherwise no output. */
    static ProgressListener forTerminal(PrintWriter err, Boolean forced) {
        boolean show = forced != null ? forced : System.console() != null;
        return show ? new ProgressBar(err) : ProgressListener.NONE;
    }

    /** Ends the line of every bar that is drawn but not finished (for an interrupt: Ctrl-C, a fatal error). */
    static void finishOpenLines() {
        for (ProgressBar bar : OPEN) {
            bar.finishLine();
        }
    }

    /**
     * Ends the bar line left open on {@code err} (an error or an interruption in the middle of a phase),
     * so the message that follows starts on a line of its own.
     */
    static void endOpenLine(PrintWriter err) {
        for (ProgressBar bar : OPEN) {
            if (bar.err == err) {
                bar.finishLine();
            }
        }
    }

    /** Ends this bar's line if it is open; the bar starts a fresh line on its next event. */
    synchronized void finishLine() {
        if (open) {
            err.println();
            err.flush();
            open = false;
        }
        OPEN.remove(this);
        phase = "";
        lastPercent = -1;
    }

    /** The text of one redraw (without the carriage return); at most columns - 1 characters. */
    String render(String name, int percent, Long address) {
        if (barWidth == 0 && usable < NAME + 5) { // a very narrow terminal: as much of the name as fits, then " 45%"
            String label = name.substring(0, Math.min(name.length(), Math.max(0, usable - 5)));
            return (label + String.format(" %3d%%", percent)).strip();
        }
        StringBuilder b = new StringBuilder(String.format("%-" + NAME + "s", name));
        if (barWidth > 0) {
            int filled = percent * barWidth / 100;
            b.append(" [").append("#".repeat(filled)).append(".".repeat(barWidth - filled)).append("]");
        }
        b.append(String.format(" %3d%%", percent));
        if (showAddress && address != null) {
            b.append(String.format("  0x%08x", address));
        }
        return b.toString();
    }

    @Override
    public synchronized void onProgress(ProgressEvent event) {
        String name = event.phase().name().toLowerCase();
        int percent = (int) Math.round(event.fraction() * 100);
        if (!name.equals(phase)) {
            if (open) {
                err.println();
                open = false;
            }
            phase = name;
            lastPercent = -1;
        }
        if (percent == lastPercent && event.type() == ProgressEvent.Type.ADVANCED) {
            return;
        }
        lastPercent = percent;
        Long address = event.address().isPresent() ? event.address().getAsLong() : null;
        String line = render(name, percent, address);
        // pad to the width of a line with an address, so a shorter redraw leaves nothing of the last one
        err.print("\r" + line + " ".repeat(Math.max(0, render(name, percent, showAddress ? 0L : null).length() - line.length())));
        open = true;
        OPEN.add(this);
        if (event.type() == ProgressEvent.Type.FINISHED) {
            finishLine();
        }
        err.flush();
    }
}
