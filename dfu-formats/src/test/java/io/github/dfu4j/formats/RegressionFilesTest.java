package io.github.dfu4j.formats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input that broke (or would break a naive) parser, kept as a file under
 * {@code src/test/resources/regressions/<format>/NAME} next to {@code NAME.expected}, the exact
 * one-line message the reader must answer with. The directory decides the forced format
 * ({@code facade} detects). The file name is the source named in the message. To add one: copy the
 * input from {@code target/fuzz-failures/}, give it a descriptive name, write its .expected.
 */
class RegressionFilesTest {
    private static final Map<String, FirmwareFormat> FORMATS = Map.of("dfuse", FirmwareFormat.DFUSE,
            "ihex", FirmwareFormat.INTEL_HEX, "srec", FirmwareFormat.SREC, "elf", FirmwareFormat.ELF,
            "bin", FirmwareFormat.BINARY);

    static Path root() throws URISyntaxException {
        return Path.of(RegressionFilesTest.class.getResource("/regressions").toURI());
    }

    static Stream<Path> inputs() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.walk(root())) {
            List<Path> list = files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".expected"))
                    .sorted().collect(Collectors.toList());
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void readerAnswersWithTheExpectedFormatError(Path input) throws Exception {
        String dir = input.getParent().getFileName().toString();
        ReadOptions options = FORMATS.containsKey(dir) ? ReadOptions.builder().format(FORMATS.get(dir)).build() : ReadOptions.defaults();
        byte[] content = Files.readAllBytes(input);
        String name = input.getFileName().toString();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> FirmwareFiles.read(name, content, options));
        Path expectedFile = input.resolveSibling(name + ".expected");
        assertTrue(Files.exists(expectedFile), "missing " + expectedFile + "; the message was: " + e.getMessage());
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8).strip(), e.getMessage());
    }

    @Test
    void everyFormatHasRegressionFiles() throws Exception {
        for (String dir : List.of("dfuse", "ihex", "srec", "elf", "bin", "facade")) {
            try (Stream<Path> files = Files.list(root().resolve(dir))) {
                assertFalse(files.findAny().isEmpty(), dir);
            }
        }
    }
}
