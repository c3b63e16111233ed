package io.github.dfu4j.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Whether this run was asked for detail (-v/--verbose), and the info lines that are shown only then:
 * known facts of a chip or board the tool handles by itself (an mboot board over-claiming its
 * flash, writes beyond a smaller part of the die), as opposed to warnings, which the user should act on.
 */
final class Verbosity {
    private static volatile boolean verbose;

    private Verbosity() {
    }

    static void set(boolean on) {
        verbose = on;
    }

    static boolean verbose() {
        return verbose;
    }

    /** "dfu: info: ..." per line, with -v only. */
    static void info(List<String> lines, PrintWriter err) {
        if (verbose) {
            for (String line : lines) {
                err.println("dfu: info: " + line);
            }
        }
    }
}
