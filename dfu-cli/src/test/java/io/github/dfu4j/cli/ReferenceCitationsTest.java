package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code comments and docs cite the facts they rely on as {@code docs/reference/<page>.md §N.M}
 * (docs/reference/README.md). This test keeps those citations pointing somewhere: every cited
 * section exists as a heading of the cited page, and no source file cites the outside fact sheet,
 * research notes or user reports the citations replaced.
 */
class ReferenceCitationsTest {
    static final Path ROOT = DocsCommandsTest.ROOT;
    /** "reference/stm32.md §4.1", then further "§x.y" of the same group (", §4.2", "-§2.5", "/§6"). */
    static final Pattern CITATION = Pattern.compile("reference/([a-z0-9-]+|README)\\.md §(\\d+(?:\\.\\d+)?)((?:(?:, |-|–|/| and )§\\d+(?:\\.\\d+)?)*)");
    static final Pattern MORE = Pattern.compile("§(\\d+(?:\\.\\d+)?)");
    static final Pattern HEADING = Pattern.compile("^#{2,4} (\\d+(?:\\.\\d+)?)\\.? ");
    /** What the reference pages replaced: a file outside the repository and unpublished notes. */
    static final Pattern OUTSIDE = Pattern.compile("fact sheet|stm32-facts|anchors-tools|/work/shared|\\bseed 00\\d|seed reports",
            Pattern.CASE_INSENSITIVE);

    static List<Path> sources() {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> {
                String rel = ROOT.relativize(p).toString().replace('\\', '/');
                return (rel.endsWith(".java") || rel.endsWith(".md")) && !rel.contains("/target/") && !rel.startsWith(".")
                        && !rel.contains("/.") && Files.isRegularFile(p);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> sections(String page) throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/reference/" + page + ".md"), StandardCharsets.UTF_8)) {
            Matcher m = HEADING.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The missing sections of one text's citations, as "page §n". */
    static List<String> dangling(String text) throws IOException {
        List<String> missing = new ArrayList<>();
        Matcher m = CITATION.matcher(text);
        while (m.find()) {
            String page = m.group(1);
            Path file = ROOT.resolve("docs/reference/" + page + ".md");
            if (!Files.isRegularFile(file)) {
                missing.add(page + ".md (no such page)");
                continue;
            }
            Set<String> have = sections(page);
            List<String> cited = new ArrayList<>(List.of(m.group(2)));
            Matcher more = MORE.matcher(m.group(3));
            while (more.find()) {
                cited.add(more.group(1));
            }
            for (String c : cited) {
                if (!have.contains(c)) {
                    missing.add(page + ".md §" + c);
                }
            }
        }
        return missing;
    }

    @Test
    void everyCitedSectionExists() throws IOException {
        List<String> problems = new ArrayList<>();
        int citations = 0;
        for (Path p : sources()) {
            if (p.endsWith("ReferenceCitationsTest.java")) {
                continue; // its own examples cite missing sections on purpose
            }
            String text = Files.readString(p, StandardCharsets.UTF_8);
            citations += (int) CITATION.matcher(text).results().count();
            for (String d : dangling(text)) {
                problems.add(ROOT.relativize(p) + ": " + d);
            }
        }
        assertTrue(citations > 100, "expected the code and docs to cite docs/reference, found " + citations);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void nothingCitesTheOutsideFactSheetOrUnpublishedNotes() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path p : sources()) {
            if (p.endsWith("ReferenceCitationsTest.java")) {
                continue;
            }
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE.matcher(lines.get(i)).find()) {
                    problems.add(ROOT.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aCitationOfAMissingSectionIsFound() throws IOException {
        assertEquals(List.of(), dangling("see docs/reference/stm32.md §4.1, §4.2 and reference/dfu.md §2.2-§2.5"));
        assertEquals(List.of("stm32.md §4.9"), dangling("(docs/reference/stm32.md §4.1, §4.9)"));
        assertEquals(List.of("dfu.md §5.3"), dangling("(docs/reference/dfu.md §5.3)"));
        assertEquals(List.of("nope.md (no such page)"), dangling("docs/reference/nope.md §1"));
    }
}
