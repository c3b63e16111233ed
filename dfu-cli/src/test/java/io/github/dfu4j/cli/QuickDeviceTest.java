package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * QuickDevice parses the plain forms of {@code dfu flash} and {@code dfu upload} without picocli (start-up,
 * issue 11). Whenever it accepts a command line, picocli must accept it too and build a command whose every
 * option and parameter field, mixins included, is equal; whatever it does not accept goes to picocli. Seeded
 * generator over both commands' options and values, valid and not ({@code -Ddfu4j.seed=N} replays; the seed is
 * printed); runs of both paths on simulated devices are compared end to end.
 */
class QuickDeviceTest {
    private static final long SEED = Long.getLong("dfu4j.seed", new SplittableRandom().nextLong());
    private static final int CASES = Integer.getInteger("dfu4j.quickdevice.cases", 2000);

    static {
        System.out.println("QuickDeviceTest seed " + SEED + " (replay: -Ddfu4j.seed=" + SEED + ")");
    }

    private static final String[] VALUES = {"stm32f405", "0x08000000", "64K", "1", "0", "2.5", "12", "real", "virtual", "jna",
        "1-1", "0483:df11", "ABC123", "per-block", "auto", "Internal Flash", "", "-", "--json", "zz", "1.5", "-1", "0x"};
    private static final String[] STRAYS = {"--", "@args.txt", "-h", "--help", "-V", "--version", "-Sabc", "-vv", "--force",
        "--wait-app", "--mass-erase", "--no-verify=true", "--json=false", "--jsn", "--inc", "--leave", "--all", "-x", "fw.dfu"};
    private static final String[] COMMON = {"--sim", "--sim-time", "-S", "--serial", "-p", "--path", "-d", "--device",
        "--backend", "--wait", "-a", "--alt", "--address"};
    private static final String[] FLASH = {"--leave-wait", "--base", "--addressing", "--leave"};
    private static final String[] FLAGS = {"--json", "--progress", "--no-progress", "-v", "--verbose"};

    /** One generated command line: maybe -v, the command, then shuffled pieces. */
    static String[] generate(Random r) {
        boolean flash = r.nextBoolean();
        List<String> line = new ArrayList<>();
        if (r.nextInt(5) == 0) {
            line.add(r.nextBoolean() ? "-v" : "--verbose");
        }
        line.add(flash ? "flash" : "upload");
        List<List<String>> pieces = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            String value = r.nextInt(3) == 0 ? VALUES[r.nextInt(VALUES.length)] : VALUES[r.nextInt(14)];
            String option = switch (r.nextInt(flash ? 4 : 3)) {
                case 0 -> COMMON[r.nextInt(COMMON.length)];
                case 1 -> flash ? (r.nextBoolean() ? "--no-verify" : "--incremental") : "--length";
                case 2 -> null;
                default -> FLASH[r.nextInt(FLASH.length)];
            };
            int form = r.nextInt(10);
            if (option == null) {
                pieces.add(List.of(form < 7 ? FLAGS[r.nextInt(FLAGS.length)] : STRAYS[r.nextInt(STRAYS.length)]));
            } else if (option.equals("--no-verify") || option.equals("--incremental") || form == 0) {
                pieces.add(List.of(option));
            } else if (form < 4 && option.startsWith("--")) {
                pieces.add(List.of(option + "=" + value));
            } else {
                pieces.add(List.of(option, value));
            }
        }
        if (r.nextInt(8) != 0) { // mostly the file(s) somewhere
            pieces.add(List.of(flash ? "fw" + r.nextInt(3) + ".dfu" : "out.bin"));
            if (flash && r.nextInt(4) == 0) {
                pieces.add(List.of(r.nextBoolean() ? "qspi.bin@0x90000000" : "-"));
            }
        }
        Collections.shuffle(pieces, r);
        pieces.forEach(line::addAll);
        return line.toArray(new String[0]);
    }

    static Stream<Arguments> commandLines() {
        return QuickParsers.lines(SEED, CASES, QuickDeviceTest::generate);
    }

    /** Every @Option/@Parameters field of {@code a} and {@code b} (same class), through @Mixin fields, is equal. */
    static void assertSameOptions(Object a, Object b, String where) {
        assertEquals(a.getClass(), b.getClass(), where);
        for (Field f : a.getClass().getDeclaredFields()) {
            try {
                f.setAccessible(true);
                if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                    assertSameOptions(f.get(a), f.get(b), where + " " + f.getName());
                } else if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                    assertEquals(f.get(a), f.get(b), f.getName() + " in " + where);
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void whatQuickDeviceAcceptsPicocliParsesTheSame(String[] args) {
        Object quick = QuickDevice.parse(args);
        if (quick == null) {
            return; // picocli parses it, as before
        }
        Object full = QuickParsers.picocli(args);
        String where = Arrays.toString(args) + " (seed " + SEED + ")";
        if (full == null) {
            fail("QuickDevice accepted what picocli rejects or runs otherwise: " + where);
        }
        assertSameOptions(full, quick, where);
    }

    /** The generator reaches both sides: lines QuickDevice takes and lines it leaves to picocli, each many times. */
    @Test
    void theGeneratorCoversBothPaths() {
        QuickParsers.assertBothPathsCovered(QuickDevice::parse, QuickDeviceTest::generate, SEED, CASES, "QuickDevice");
    }

    static Stream<Arguments> plainForms() {
        return Stream.of(
                Arguments.of((Object) new String[] {"flash", "fw.dfu"}),
                Arguments.of((Object) new String[] {"flash", "fw.dfu", "--sim", "stm32f405"}),
                Arguments.of((Object) new String[] {"flash", "--no-verify", "fw.dfu"}),
                Arguments.of((Object) new String[] {"flash", "--incremental", "fw.dfu"}),
                Arguments.of((Object) new String[] {"flash", "fw.dfu", "--leave", "--leave-wait=0"}),
                Arguments.of((Object) new String[] {"-v", "flash", "fw.bin", "--base", "0x08004000", "-S", "ABC"}),
                Arguments.of((Object) new String[] {"flash", "fw.dfu", "qspi.bin@0x90000000", "--json", "-p", "1-1"}),
                Arguments.of((Object) new String[] {"upload", "out.bin", "--address", "0x08000000", "--length", "1048576"}),
                Arguments.of((Object) new String[] {"upload", "out.bin", "--sim", "stm32f746", "--length=64K", "-a", "0"}));
    }

    @ParameterizedTest
    @MethodSource("plainForms")
    void thePlainFormsTakeTheQuickPath(String[] args) {
        Object quick = QuickDevice.parse(args);
        assertNotNull(quick, Arrays.toString(args));
        Object full = QuickParsers.picocli(args);
        assertNotNull(full, Arrays.toString(args));
        assertSameOptions(full, quick, Arrays.toString(args));
    }

    @Test
    void helpUsageErrorsAndOtherOptionsStayPicocli() {
        for (String[] args : List.of(new String[] {"flash", "--help"}, new String[] {"flash"}, new String[] {"upload"},
                new String[] {"upload", "a.bin", "b.bin"}, new String[] {"flash", "--no-verfy", "a.dfu"},
                new String[] {"flash", "--leave", "a.dfu"}, new String[] {"flash", "--wait", "1.5", "a.dfu"},
                new String[] {"flash", "--", "a.dfu"}, new String[] {"flash", "@args.txt"},
                new String[] {"flash", "--json", "--json", "a.dfu"}, new String[] {"flash", "--mass-erase", "--force", "a.dfu"},
                new String[] {"upload", "out.bin", "--address", "zz"}, new String[] {"flash", "-Sabc", "a.dfu"},
                new String[] {"help", "flash"}, new String[] {"info", "a.hex", "--sim", "x"})) {
            assertNull(QuickDevice.parse(args), Arrays.toString(args));
        }
    }

    static Stream<Arguments> runs() {
        String fw = Path.of("..", "examples", "firmware").toString();
        return Stream.of(
                Arguments.of(List.of("flash", fw + "/blinky-f405.dfu", "--sim", "stm32f405", "--sim-time", "virtual")),
                Arguments.of(List.of("flash", fw + "/blinky-f405.hex", "--sim", "stm32f405", "--sim-time", "virtual", "--json")),
                Arguments.of(List.of("flash", fw + "/blinky-f405.dfu", "--sim", "stm32f405", "--sim-time", "virtual", "--no-verify",
                        "--leave")),
                Arguments.of(List.of("flash", fw + "/blinky-f405.dfu", "--sim", "stm32f405", "--sim-time", "virtual", "--incremental")),
                Arguments.of(List.of("flash", fw + "/no-such-file.dfu", "--sim", "stm32f405", "--sim-time", "virtual")),
                Arguments.of(List.of("flash", fw + "/blinky-f405.bin", "--base", "0x30000000", "--sim", "stm32f405", "--sim-time",
                        "virtual")),
                Arguments.of(List.of("flash", fw + "/blinky-f405.dfu", "--sim", "no-such-chip")),
                Arguments.of(List.of("flash", fw + "/blinky-f405.dfu", "--sim", "stm32f405", "--sim-time", "slow")));
    }

    /**
     * The same output and exit code either way: the quick path, and picocli on the same command line
     * ({@link QuickDevice#enabled} off).
     */
    @ParameterizedTest
    @MethodSource("runs")
    void bothPathsPrintTheSame(List<String> line) {
        String[] args = line.toArray(new String[0]);
        assertNotNull(QuickDevice.parse(args), line.toString());
        CliRunner quick = CliRunner.run(args);
        CliRunner full;
        QuickDevice.enabled = false;
        try {
            full = CliRunner.run(args);
        } finally {
            QuickDevice.enabled = true;
        }
        assertEquals(full.exitCode(), quick.exitCode(), line + "\n" + quick.err());
        assertEquals(timesOut(full.out()), timesOut(quick.out()), line.toString());
        assertEquals(timesOut(full.err()), timesOut(quick.err()), line.toString());
    }

    @Test
    void anUploadReadsTheSameBytesEitherWay(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        String[] quick = {"upload", a.toString(), "--sim", "stm32f405", "--sim-time", "virtual", "--address", "0x08000000",
            "--length", "4K"};
        assertNotNull(QuickDevice.parse(quick));
        CliRunner q = CliRunner.run(quick);
        QuickDevice.enabled = false;
        CliRunner p;
        try {
            quick[1] = b.toString();
            p = CliRunner.run(quick);
        } finally {
            QuickDevice.enabled = true;
        }
        assertEquals(0, q.exitCode(), q.err());
        assertEquals(0, p.exitCode(), p.err());
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(a));
        assertEquals(p.out().replace(b.toString(), "OUT"), q.out().replace(a.toString(), "OUT"));
    }

    /** Durations ("0.30 s", "elapsed_ms": 12) differ from run to run. */
    private static String timesOut(String text) {
        return text.replaceAll("\\d+\\.\\d+ s", "T s").replaceAll("(_ms\"?:\\s*)\\d+", "$1N").replaceAll("(_s\"?:\\s*)[0-9.]+", "$1N");
    }
}
