package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The house rule for every module's main code: a class over about 400 lines says at its top why it is that long
 * (dfu-api's FacadeBoundaryTest holds the ops package to the same rule with its own wording).
 */
class LongClassReasonTest {
    static final int LIMIT = 400;
    /** How the reasons are worded: "Why this class is over 400 lines", "Longer than ~400 lines", "About 420 lines". */
    static final Pattern REASON = Pattern.compile("400[- ]line|over ~?400|about 4\\d\\d lines", Pattern.CASE_INSENSITIVE);

    static boolean needsReason(List<String> lines) {
        if (lines.size() <= LIMIT) {
            return false;
        }
        // the reason belongs before the class body: in the file's first 80 lines
        String head = String.join("\n", lines.subList(0, Math.min(80, lines.size())));
        return !REASON.matcher(head).find();
    }

    @Test
    void everyMainClassOver400LinesSaysWhyAtItsTop() throws IOException {
        List<String> missing;
        try (var s = Files.walk(ReferenceCitationsTest.ROOT)) {
            missing = s.filter(p -> {
                String rel = ReferenceCitationsTest.ROOT.relativize(p).toString().replace('\\', '/');
                return rel.endsWith(".java") && rel.contains("/src/main/java/") && !rel.contains("/target/") && !rel.startsWith(".");
            }).filter(p -> {
                try {
                    return needsReason(Files.readAllLines(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).map(Path::toString).sorted().toList();
        }
        assertEquals(List.of(), missing, "classes over " + LIMIT + " lines with no reason at their top");
    }

    @Test
    void theCheckSeesALongClassWithoutAReasonAndAcceptsOneWithIt() {
        List<String> body = new java.util.ArrayList<>(java.util.Collections.nCopies(LIMIT + 1, "    int x;"));
        assertTrue(needsReason(body));
        body.set(1, " * Why this class is over 400 lines: one state machine.");
        assertFalse(needsReason(body));
        assertFalse(needsReason(body.subList(0, LIMIT)), "400 lines need no reason");
    }
}
