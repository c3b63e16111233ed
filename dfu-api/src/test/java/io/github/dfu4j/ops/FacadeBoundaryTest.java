package io.github.dfu4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of {@code io.github.dfu4j.ops} (docs/architecture.md, "Inside io.github.dfu4j.ops"):
 * {@link DfuDevice} is a facade over package-private jobs that reach the device through a
 * {@code DfuSession}; no job calls back into the facade, and no class of the package grows past about
 * 400 lines without its reason written at its top.
 */
class FacadeBoundaryTest {
    /** The package's main sources, from the module directory surefire runs in. */
    static final Path OPS = Path.of("src/main/java/io/github/dfu4j/ops");
    static final int MAX_LINES = 400;
    static final Pattern FACADE_USE = Pattern.compile("\\bDfuDevice\\b");

    @Test
    void noJobCallsBackIntoTheFacade() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path f : sources()) {
            if (f.getFileName().toString().equals("DfuDevice.java")) {
                continue;
            }
            String code = codeOnly(Files.readString(f, StandardCharsets.UTF_8));
            Matcher m = FACADE_USE.matcher(code);
            while (m.find()) {
                offences.add(f.getFileName() + ":" + lineOf(code, m.start()));
            }
        }
        assertEquals(List.of(), offences, "package-private ops classes use DfuDevice in code (not javadoc or text):"
                + " go through DfuSession instead");
    }

    @Test
    void noLongClassWithoutAReason() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path f : sources()) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            boolean reason = lines.stream().limit(60).anyMatch(l -> l.contains("Why this class is over 400 lines"));
            if (lines.size() > MAX_LINES && !reason) {
                offences.add(f.getFileName() + " (" + lines.size() + " lines)");
            }
        }
        assertEquals(List.of(), offences, "classes over " + MAX_LINES + " lines without a 'Why this class is over 400 lines'"
                + " note at the top");
    }

    @Test
    void theCodeFilterSeesCodeAndDropsCommentsAndText() {
        String sample = "/** {@link DfuDevice} */\nclass X { // DfuDevice\n String s = \"DfuDevice.leave\"; DfuDevice d; }";
        String code = codeOnly(sample);
        Matcher m = FACADE_USE.matcher(code);
        assertTrue(m.find(), code);
        assertEquals(3, lineOf(code, m.start()));
        assertTrue(!m.find(), "only the field's type is code: " + code);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(OPS)) {
            List<Path> out = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertTrue(out.size() > 20, "found the ops sources in " + OPS.toAbsolutePath());
            return out;
        }
    }

    /** The source with comments, string and char literals blanked (line breaks kept, so line numbers hold). */
    static String codeOnly(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '/') {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? src.length() : end + 2;
                blank(src, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < src.length() && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(src.length(), j + 1);
                blank(src, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String src, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(src.charAt(k) == '\n' ? '\n' : ' ');
        }
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int k = 0; k < index; k++) {
            if (text.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }
}
