package io.github.dfu4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Golden request sequences (see docs/architecture.md, "Golden request sequences"): normalises a
 * session recorded by dfu-api's {@code io.github.dfu4j.record.RecordingTransport} (not a link: this
 * module does not depend on dfu-api) and compares it line for line with a
 * committed file, or rewrites the file when {@code -Ddfu4j.golden.update=true}.
 * Used by dfu-stm32's GoldenSequenceTest and the CLI's GoldenCliTest. A difference is reported as an
 * {@link AssertionError}, which every test framework treats as a failure.
 *
 * <pre>{@code
 * StringBuilder recording = new StringBuilder(); // what a RecordingTransport wrote
 * // ... run the flow through a RecordingTransport appending to it ...
 * GoldenFiles.check("flash", recording.toString(), Path.of("src/test/resources/golden/flash.txt"));
 * }</pre>
 */
public final class GoldenFiles {
    /** Set to true to rewrite the golden files instead of comparing with them. */
    public static final String UPDATE_PROPERTY = "dfu4j.golden.update";

    /**
     * The leading "time since the session began" and "+duration" of each event line: they are
     * nanoseconds of the simulator's virtual clock (deterministic), but they measure the simulator's
     * timing model rather than the host's requests, so they are dropped. Host waits ("sleep N") keep
     * their duration: how long the host waits is its decision.
     */
    private static final Pattern TIMES = Pattern.compile("^\\d+ (\\+\\d+ )?");

    /**
     * Request and reply data longer than {@link #SHOWN} bytes: kept as its first {@link #SHOWN} bytes,
     * its length and its SHA-256, so that a golden file stays reviewable in a diff (the incremental
     * flows read whole 128 KiB sectors) while any change of any byte still changes the line.
     */
    private static final Pattern LONG_HEX = Pattern.compile("\\b[0-9a-f]{" + (2 * 32 + 1) + ",}\\b");
    private static final int SHOWN = 32;

    private GoldenFiles() {
    }

    /** @return whether {@code -Ddfu4j.golden.update=true} asks to rewrite the golden files. */
    public static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /**
     * The recording without clock values, one element per line.
     *
     * @param recording a session recording as {@code RecordingTransport} writes it
     * @return its non-empty lines without the time columns, long data shortened to its first 32 bytes,
     *        length and SHA-256
     */
    public static List<String> normalise(String recording) {
        List<String> out = new ArrayList<>();
        for (String line : recording.split("\n", -1)) {
            if (!line.isEmpty()) {
                String timeless = TIMES.matcher(line).replaceFirst("");
                out.add(LONG_HEX.matcher(timeless).replaceAll(m -> digest(m.group())));
            }
        }
        return out;
    }

    private static String digest(String hex) {
        if (hex.length() % 2 != 0) {
            return hex; // not a byte array of the recording
        }
        byte[] data = HexFormat.of().parseHex(hex);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(data);
            return hex.substring(0, 2 * SHOWN) + "...(" + data.length + " bytes, sha256 " + HexFormat.of().formatHex(sha) + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Compares {@code recording} (normalised) with {@code golden}, request for request including the
     * data, or writes it there when updating. The failure names {@code what}, the first differing
     * line (1-based) and both versions of it.
     *
     * @param what      the name of the scenario, for the failure message
     * @param recording the session recording to compare
     * @param golden    the golden file, UTF-8, one normalised line per line
     * @throws AssertionError when the golden file is missing or differs (message names the first differing line)
     * @throws IOException when the golden file cannot be read or, when updating, written
     */
    public static void check(String what, String recording, Path golden) throws IOException {
        List<String> actual = normalise(recording);
        if (updating()) {
            Files.createDirectories(golden.getParent());
            Files.write(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.isRegularFile(golden)) {
            throw new AssertionError(what + ": no golden file " + golden + " (record it with -D" + UPDATE_PROPERTY + "=true and commit it)");
        }
        List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError(mismatch(what, golden, i, expected.get(i), actual.get(i), expected.size(), actual.size()));
            }
        }
        if (expected.size() != actual.size()) {
            throw new AssertionError(mismatch(what, golden, n, n < expected.size() ? expected.get(n) : "<end of recording>",
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
