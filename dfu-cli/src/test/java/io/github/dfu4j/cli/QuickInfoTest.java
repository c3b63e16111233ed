package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * QuickInfo parses {@code dfu info} command lines without picocli (start-up, issue 11). Whenever it
 * accepts a command line, picocli must accept it too and build the same {@link InfoCommand}; whatever it
 * does not accept goes to picocli. Seeded generator over info's options and values, valid and not
 * ({@code -Ddfu4j.seed=N} replays; the seed is printed); the runs of both paths are compared end to end
 * on the example firmware and on bad inputs.
 */
class QuickInfoTest {
    private static final long SEED = Long.getLong("dfu4j.seed", new SplittableRandom().nextLong());
    private static final int CASES = Integer.getInteger("dfu4j.quickinfo.cases", 1500);

    static {
        System.out.println("QuickInfoTest seed " + SEED + " (replay: -Ddfu4j.seed=" + SEED + ")");
    }

    private static final String[] FORMATS = {"INTEL_HEX", "BINARY", "DFUSE", "ELF", "SREC", "hex", "Intel HEX", "", "--json", "-"};
    private static final String[] BASES = {"0x08000000", "134217728", "64K", "1M", "0x1_0000", "0X20000000", "xyz", "-1",
        "0x100000000", "", "--json", "0x"};
    private static final String[] FILES = {"fw.hex", "-", "dir/fw.bin", "info", "help", "flash", "fw=1.hex", "", "@args.txt",
        "--", "-x", "--jsn", "--js", "-h", "--help", "-V", "--version", "-vh", "-jv", "--json=true", "--verbose=true", "a b.dfu"};

    /** One generated info command line: tool options, "info", then shuffled pieces. */
    static String[] generate(Random r) {
        List<String> line = new ArrayList<>();
        switch (r.nextInt(6)) {
            case 0 -> line.add("-v");
            case 1 -> line.add("--verbose");
            case 2 -> line.addAll(List.of("-v", "-v"));
            default -> {
            }
        }
        line.add(r.nextInt(40) == 0 ? "inf" : "info");
        List<List<String>> pieces = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String f = FORMATS[r.nextInt(FORMATS.length)];
            String b = BASES[r.nextInt(BASES.length)];
            pieces.add(switch (r.nextInt(8)) {
                case 0 -> List.of("--json");
                case 1 -> List.of("--format", f);
                case 2 -> List.of("--format=" + f);
                case 3 -> List.of("--base", b);
                case 4 -> List.of("--base=" + b);
                case 5 -> List.of(r.nextBoolean() ? "-v" : "--verbose");
                case 6 -> List.of("--format");
                default -> List.of(FILES[r.nextInt(FILES.length)]);
            });
        }
        if (r.nextInt(8) != 0) { // mostly one plain file somewhere
            pieces.add(List.of(r.nextInt(4) == 0 ? "-" : "fw" + r.nextInt(3) + ".hex"));
        }
        Collections.shuffle(pieces, r);
        pieces.forEach(line::addAll);
        return line.toArray(new String[0]);
    }

    static Stream<Arguments> commandLines() {
        return QuickParsers.lines(SEED, CASES, QuickInfoTest::generate);
    }

    /** The InfoCommand picocli builds for {@code args}, or null when picocli rejects the line or does not run info. */
    static InfoCommand picocli(String[] args) {
        return QuickParsers.picocli(args) instanceof InfoCommand info ? info : null;
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void whatQuickInfoAcceptsPicocliParsesTheSame(String[] args) {
        InfoCommand quick = QuickInfo.parse(args);
        if (quick == null) {
            return; // picocli parses it, as before
        }
        InfoCommand full = picocli(args);
        if (full == null) {
            fail("QuickInfo accepted what picocli rejects or runs otherwise: " + Arrays.toString(args) + " (seed " + SEED + ")");
        }
        String where = Arrays.toString(args) + " (seed " + SEED + ")";
        assertEquals(full.file, quick.file, where);
        assertEquals(full.json, quick.json, where);
        assertEquals(full.format, quick.format, where);
        assertEquals(full.base, quick.base, where);
    }

    /** The generator reaches both sides: lines QuickInfo takes and lines it leaves to picocli, each many times. */
    @Test
    void theGeneratorCoversBothPaths() {
        QuickParsers.assertBothPathsCovered(QuickInfo::parse, QuickInfoTest::generate, SEED, CASES, "QuickInfo");
    }

    static Stream<Arguments> plainForms() {
        return Stream.of(
                Arguments.of((Object) new String[] {"info", "fw.hex"}),
                Arguments.of((Object) new String[] {"info", "-"}),
                Arguments.of((Object) new String[] {"-v", "info", "fw.hex"}),
                Arguments.of((Object) new String[] {"info", "fw.hex", "--verbose"}),
                Arguments.of((Object) new String[] {"info", "--json", "fw.hex"}),
                Arguments.of((Object) new String[] {"info", "fw.bin", "--format", "BINARY", "--base", "0x20000000"}),
                Arguments.of((Object) new String[] {"info", "--format=BINARY", "--base=64K", "fw.bin", "--json"}));
    }

    @ParameterizedTest
    @MethodSource("plainForms")
    void thePlainFormsTakeTheQuickPath(String[] args) {
        InfoCommand quick = QuickInfo.parse(args);
        assertNotNull(quick, Arrays.toString(args));
        InfoCommand full = picocli(args);
        assertNotNull(full, Arrays.toString(args));
        assertEquals(full.file, quick.file);
        assertEquals(full.json, quick.json);
        assertEquals(full.format, quick.format);
        assertEquals(full.base, quick.base);
    }

    @Test
    void helpVersionAndUsageErrorsStayPicocli() {
        for (String[] args : List.of(new String[] {"info", "--help"}, new String[] {"info", "fw.hex", "-h"},
                new String[] {"info"}, new String[] {"info", "a.hex", "b.hex"}, new String[] {"info", "--jsn", "a.hex"},
                new String[] {"info", "--format", "hex", "a.hex"}, new String[] {"info", "--base", "zz", "a.bin"},
                new String[] {"info", "--", "a.hex"}, new String[] {"info", "@args.txt"}, new String[] {"-V", "info", "a.hex"},
                new String[] {"info", "--json", "--json", "a.hex"}, new String[] {"help", "info"})) {
            assertNull(QuickInfo.parse(args), Arrays.toString(args));
        }
    }

    static Stream<Arguments> runs() {
        String fw = Path.of("..", "examples", "firmware").toString();
        return Stream.of(
                Arguments.of((Object) new String[] {fw + "/blinky-f405.hex"}),
                Arguments.of((Object) new String[] {"--json", fw + "/blinky-f405.dfu"}),
                Arguments.of((Object) new String[] {fw + "/blinky-f405.elf"}),
                Arguments.of((Object) new String[] {"--format", "BINARY", "--base", "0x20000000", fw + "/blinky-f405.bin"}),
                Arguments.of((Object) new String[] {fw + "/no-such-file.hex"}),
                Arguments.of((Object) new String[] {"--json", fw + "/no-such-file.hex"}),
                Arguments.of((Object) new String[] {"--format", "DFUSE", fw + "/blinky-f405.hex"}),
                Arguments.of((Object) new String[] {"--json", "--format", "ELF", fw + "/blinky-f405.bin"}));
    }

    /**
     * The same output and exit code either way: {@code info OPTIONS FILE} takes the quick path, {@code info
     * OPTIONS -- FILE} (the same options object to picocli) does not.
     */
    @ParameterizedTest
    @MethodSource("runs")
    void bothPathsPrintTheSame(String[] options) {
        List<String> quickLine = new ArrayList<>(List.of("info"));
        quickLine.addAll(List.of(options));
        List<String> picocliLine = new ArrayList<>(quickLine);
        picocliLine.add(picocliLine.size() - 1, "--");
        assertNotNull(QuickInfo.parse(quickLine.toArray(new String[0])));
        assertNull(QuickInfo.parse(picocliLine.toArray(new String[0])));
        CliRunner quick = CliRunner.run(quickLine.toArray(new String[0]));
        CliRunner full = CliRunner.run(picocliLine.toArray(new String[0]));
        assertEquals(full.exitCode(), quick.exitCode(), quick.err());
        assertEquals(full.out(), quick.out());
        assertEquals(full.err(), quick.err());
        assertFalse(quick.out().isEmpty() && quick.err().isEmpty());
    }
}
