package io.github.dfu4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's embedding example is code that compiles: every line of it appears in EmbeddingExample. */
class EmbeddingExampleTest {
    @Test
    void theReadmeExampleIsTheCompiledExample() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("### Embedding"));
        int end = readme.indexOf("```", start + 7);
        List<String> lines = new ArrayList<>();
        for (String l : readme.substring(start + 8, end).split("\n")) {
            if (!l.isBlank()) {
                lines.add(l.strip());
            }
        }
        String example = Files.readString(Path.of("src", "main", "java", "io", "github", "dfu4j", "examples",
                "EmbeddingExample.java"));
        for (String l : lines) {
            assertTrue(example.contains(l), "README line not in EmbeddingExample.java: " + l);
        }
        long imports = example.lines().filter(l -> l.startsWith("import io.github.dfu4j.")).count();
        assertTrue(imports <= 6, "the embedding example needs " + imports + " dfu4j imports");
        assertTrue(lines.size() <= 6, "the README example has " + lines.size() + " lines");
    }
}
