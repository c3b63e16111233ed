package io.github.dfu4j.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The width of the terminal the tool writes to: {@code COLUMNS} when the environment has it (an
 * exported shell variable, or set by the caller for one run), else what the terminal driver says
 * ({@code stty size} on /dev/tty, Unix only, only when there is a console). Used for help text and
 * the progress bar, so neither wraps in a narrow terminal nor stays at 80 columns in a wide one.
 */
final class TerminalWidth {
    /** Help and the bar assume this without a terminal (pipes, files, tests). */
    static final int DEFAULT = 80;

    private static volatile OptionalInt cached;

    private TerminalWidth() {
    }

    /** The terminal's columns, or empty when there is no terminal and no COLUMNS. */
    static OptionalInt detect() {
        OptionalInt c = cached;
        if (c == null) {
            c = detect(System.getenv(), System.console() != null);
            cached = c;
        }
        return c;
    }

    /** The columns to lay text out for: the terminal's, else {@link #DEFAULT}. */
    static int columns() {
        return detect().orElse(DEFAULT);
    }

    static OptionalInt detect(Map<String, String> env, boolean console) {
        OptionalInt fromEnv = parse(env.get("COLUMNS"));
        if (fromEnv.isPresent() || !console) {
            return fromEnv;
        }
        return stty();
    }

    static OptionalInt parse(String columns) {
        if (columns == null) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(columns.strip());
            return n > 0 && n < 10_000 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** "ROWS COLS" from stty reading the controlling terminal; empty on Windows or any failure. */
    private static OptionalInt stty() {
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return OptionalInt.empty();
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return OptionalInt.empty();
            }
            String[] parts = out.split("\\s+");
            return parts.length == 2 ? parse(parts[1]) : OptionalInt.empty();
        } catch (Exception e) {
            return OptionalInt.empty();
        }
    }
}
