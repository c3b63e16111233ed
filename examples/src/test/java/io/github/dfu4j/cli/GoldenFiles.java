package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Golden request sequences (see docs/architecture.md, "Golden request sequences"): normalises a
 * {@link io.github.dfu4j.record.RecordingTransport} session and compares it line for line with a
 * committed file, or rewrites the file when {@code -Ddfu4j.golden.update=true}.
 * (A copy of dfu-stm32's test helper io.github.dfu4j.integration.GoldenFiles: test trees do not share code.)
 */
final class GoldenFiles {
    /** Set to true to rewrite the golden files instead of comparing with them. */
    static final String UPDATE_PROPERTY = "dfu4j.golden.update";

    /**
     * The leading "time since the session began" and "+duration" of each event line: they are
     * nanoseconds of the simulator's virtual clock (deterministic), but they measure the simulator's
     * timing model rather than the host's requests, so they are dropped. Host waits ("sleep N") keep
     * their duration: how long the host waits is its decision.
     */
    private static final Pattern TIMES = Pattern.compile("^\\d+ (\\+\\d+ )?");

    private GoldenFiles() {
    }

    static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /** The recording without clock values, one element per line. */
    static List<String> normalise(String recording) {
        List<String> out = new ArrayList<>();
        for (String line : recording.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.add(TIMES.matcher(line).replaceFirst(""));
            }
        }
        return out;
    }

    /**
     * Compares {@code recording} (normalised) with {@code golden}, request for request including the
     * data, or writes it there when updating. The failure names {@code what}, the first differing
     * line (1-based) and both versions of it.
     */
    static void check(String what, String recording, Path golden) throws IOException {
        List<String> actual = normalise(recording);
        if (updating()) {
            Files.createDirectories(golden.getParent());
            Files.write(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.isRegularFile(golden)) {
            fail(what + ": no golden file " + golden + " (record it with -D" + UPDATE_PROPERTY + "=true and commit it)");
        }
        List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail(mismatch(what, golden, i, expected.get(i), actual.get(i), expected.size(), actual.size()));
            }
        }
        if (expected.size() != actual.size()) {
            fail(mismatch(what, golden, n, n < expected.size() ? expected.get(n) : "<end of recording>",
                    n < actual.size() ? actual.get(n) : "<end of recording>", expected.size(), actual.size()));
        }
    }

    private static String mismatch(String what, Path golden, int index, String expected, String actual, int expectedLines,
                                   int actualLines) {
        return what + ": request sequence differs from " + golden + " at line " + (index + 1)
                + " (golden has " + expectedLines + " lines, this run " + actualLines + ")\n"
                + "  golden: " + abbreviate(expected) + "\n"
                + "  actual: " + abbreviate(actual) + "\n"
                + "if the change is intended, re-record with -D" + UPDATE_PROPERTY + "=true and explain it in the commit";
    }

    private static String abbreviate(String line) {
        return line.length() <= 300 ? line : line.substring(0, 300) + "... (" + line.length() + " chars)";
    }
}
