package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code --help} of every command: fits the terminal, never splits a word, simulator options apart, its own exit codes. */
class HelpLayoutTest {
    static final List<List<String>> COMMANDS = List.of(List.of(), List.of("flash"), List.of("upload"), List.of("erase"),
            List.of("leave"), List.of("list"), List.of("info"), List.of("convert"), List.of("doctor"),
            List.of("option-bytes"), List.of("option-bytes", "show"), List.of("option-bytes", "set"), List.of("unprotect"));

    static Stream<Arguments> commandsAndWidths() {
        List<Arguments> out = new ArrayList<>();
        for (List<String> c : COMMANDS) {
            for (int w : new int[] {40, 55, 80, 120}) {
                out.add(Arguments.of(c, w));
            }
        }
        return out.stream();
    }

    static String help(int width, List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        CliRunner r = CliRunner.atWidth(width, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return r.out();
    }

    static List<String> words(String text) {
        return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @ParameterizedTest(name = "dfu {0} --help at {1} columns")
    @MethodSource("commandsAndWidths")
    void fitsTheTerminalAndKeepsEveryWordWhole(List<String> command, int width) {
        String text = help(width, command);
        for (String line : text.split("\\R")) {
            String body = line.strip();
            boolean example = body.startsWith("dfu ");
            boolean oneWord = !body.contains(" ");
            assertTrue(line.length() <= width || example || oneWord,
                    "line of " + line.length() + " > " + width + " columns in 'dfu " + command + " --help':\n" + line);
        }
        // the same words in the same order as an unwrapped rendering: nothing split ("fw.⏎dfu") or lost
        assertEquals(words(help(HelpLayout.UNWRAPPED, command)), words(text));
    }

    @Test
    void simulatorOptionsHaveTheirOwnSection() {
        String text = help(80, List.of("flash"));
        int heading = text.indexOf("Simulator options");
        assertTrue(heading > 0, text);
        for (String sim : List.of("--sim=CHIP", "--sim-state=FILE", "--sim-time=MODE", "--sim-boot0-high", "--sim-quirk=NAME")) {
            assertTrue(text.indexOf(sim) > heading, sim + " is not in the simulator section:\n" + text);
            assertEquals(text.indexOf(sim), text.lastIndexOf(sim), sim + " is listed twice:\n" + text);
        }
        int exitCodes = text.indexOf("Exit codes:");
        assertTrue(text.indexOf("--record=FILE") < heading && exitCodes > heading, text);
        assertFalse(help(80, List.of("info")).contains("Simulator options"), "info has no simulator options");
    }

    @Test
    void eachFooterListsOnlyTheCommandsOwnExitCodes() {
        String info = help(80, List.of("info"));
        assertTrue(info.contains("  3  invalid input file") && info.contains("  2  usage error"), info);
        assertFalse(info.contains("  1  device") || info.contains("  4  no matching") || info.contains("  5  written") || info.contains("--leave:")
                || info.contains("leave: 1"), info);
        String convert = help(80, List.of("convert"));
        assertFalse(convert.contains("flash --leave") || convert.contains("  4  no matching"), convert);
        String leave = help(80, List.of("leave"));
        assertTrue(leave.contains("  leave: 1 if the device is still or again in DFU mode") && leave.contains("--wait-app: 1"), leave);
        assertFalse(leave.contains("flash --leave") || leave.contains("  5  written"), leave);
        String flash = help(80, List.of("flash"));
        assertTrue(flash.contains("  flash --leave: 0 once flashed") && flash.contains("  3  invalid input"), flash);
        assertFalse(flash.contains("  leave: 1 if"), flash);
        String upload = help(80, List.of("upload"));
        assertFalse(upload.contains("  5  written") || upload.contains("--leave:"), upload);
        assertTrue(upload.contains("130, 143  Ctrl-C (SIGINT), SIGTERM: stopped between two requests"), upload);
        assertTrue(info.contains("130, 143  Ctrl-C (SIGINT), SIGTERM: stopped") && !info.contains("ABORTed"), info);
        assertFalse(info.contains("--sim-state"), "info has no --sim-state: " + info);
        assertTrue(upload.contains("corrupt --sim-state file"), upload);
        assertTrue(help(80, List.of("doctor")).contains("doctor: 4 when it found a problem"));
    }

    @Test
    void theConvertExampleStaysOneCommandAtAnyWidth() {
        for (int w : new int[] {40, 80, 120}) {
            String text = help(w, List.of("convert"));
            assertTrue(text.contains("  dfu convert flash.bin@0x08000000 qspi.bin@0x90000000:1 \\\n      --target 1:QSPI -o fw.dfu"),
                    w + " columns:\n" + text);
        }
    }

    @Test
    void wrappingKeepsTheDescriptionColumnAndMovesItUnderNarrowNames() {
        String row = "  -a, --alt=N|NAME                 Alternate setting (memory) to write; default: from the file or 0.";
        assertEquals(List.of("  -a, --alt=N|NAME                 Alternate setting (memory) to write;",
                "                                     default: from the file or 0."), HelpLayout.wrapLine(row, 71, 0));
        assertEquals(List.of("  -a, --alt=N|NAME", "        Alternate setting (memory) to", "        write; default: from the file or",
                "        0."), HelpLayout.wrapLine(row, 40, 0));
        assertEquals(List.of("Usage: dfu flash [OPTIONS]", "                 FILE[@ADDR[:ALT]]..."),
                HelpLayout.wrapLine("Usage: dfu flash [OPTIONS] FILE[@ADDR[:ALT]]...", 40, 0));
        assertEquals(List.of("see", "STALLS_GETSTATUS_WHILE_ERASING", "too"),
                HelpLayout.wrapLine("see STALLS_GETSTATUS_WHILE_ERASING too", 10, 0), "a long word stands alone, whole");
    }

    @Test
    void mistypedCommandsAndOptionsGetADidYouMean() {
        CliRunner cmd = CliRunner.run("flsh");
        assertEquals(ExitCode.USAGE, cmd.exitCode());
        assertEquals("dfu: unknown command 'flsh'\nDid you mean 'dfu flash'?\nTry 'dfu --help'.\n", cmd.err().replace("\r", ""));
        CliRunner opt = CliRunner.run("flash", "--levae", "x.dfu");
        assertEquals(ExitCode.USAGE, opt.exitCode());
        assertTrue(opt.err().contains("Did you mean '--leave'?") && opt.err().contains("Try 'dfu flash --help'."), opt.err());
        CliRunner upload = CliRunner.run("upload", "x.bin", "--lenght", "16");
        assertTrue(upload.err().contains("Did you mean '--length'?") && upload.err().contains("Try 'dfu upload --help'."), upload.err());
        CliRunner sub = CliRunner.run("option-bytes", "sho");
        assertTrue(sub.err().contains("Did you mean 'dfu option-bytes show'?"), sub.err());
        CliRunner far = CliRunner.run("flash", "--qqqqqqqq", "x.dfu");
        assertFalse(far.err().contains("Did you mean"), "nothing close, no suggestion: " + far.err());
        assertFalse(CliRunner.run("nonsense").err().contains("dfu dfu"));
        assertEquals(1, Suggestions.distance("--levae", "--leave"));
    }

    @Test
    void terminalWidthComesFromColumnsOrNothing() {
        assertEquals(OptionalInt.of(40), TerminalWidth.detect(Map.of("COLUMNS", "40"), false));
        assertEquals(OptionalInt.empty(), TerminalWidth.detect(Map.of("COLUMNS", "wide"), false));
        assertEquals(OptionalInt.empty(), TerminalWidth.detect(Map.of(), false));
    }

    @Test
    void helpHasNoAnsiStylesEvenWhenPicocliWouldColourIt() {
        String saved = System.getProperty("picocli.ansi");
        System.setProperty("picocli.ansi", "true"); // what picocli decides in a real terminal
        try {
            String text = help(40, List.of("flash"));
            assertFalse(text.contains("\u001b["), "escape codes count as text when wrapping: " + text);
            assertTrue(text.startsWith("Usage: dfu flash [OPTIONS]\n                 FILE[@ADDR[:ALT]]..."), text);
        } finally {
            if (saved == null) {
                System.clearProperty("picocli.ansi");
            } else {
                System.setProperty("picocli.ansi", saved);
            }
        }
    }
}
