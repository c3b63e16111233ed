package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A run registers only the subcommands its command line can reach (start-up, issue 11); these tests
 * hold that this changes nothing a user sees: the table matches the commands' own annotations, the
 * selection falls back to every command whenever picocli might need another, and each command's help
 * is the same as in the full tree. Timing is measured by benchmarks/startup.sh, not here.
 */
class LazyCommandsTest {

    @Test
    void theTableNamesEachCommandByItsOwnAnnotation() {
        for (String name : Commands.NAMES) {
            CommandLine.Command c = Commands.create(name).getClass().getAnnotation(CommandLine.Command.class);
            assertEquals(name, c.name());
            assertEquals(0, c.aliases().length, name + ": an alias would need its own entry in Commands.needed");
        }
        CommandLine all = new CommandLine(new DfuCli());
        Commands.register(all);
        List<String> expected = new ArrayList<>(List.of("help"));
        expected.addAll(Commands.NAMES);
        assertEquals(expected, new ArrayList<>(all.getSubcommands().keySet()));
    }

    static Stream<Arguments> commandLines() {
        List<String> all = Commands.NAMES;
        return Stream.of(
                Arguments.of(new String[] {"--version"}, List.of()),
                Arguments.of(new String[] {"-V"}, List.of()),
                Arguments.of(new String[] {"-v", "--version"}, List.of()),
                Arguments.of(new String[] {"info", "fw.hex"}, List.of("info")),
                Arguments.of(new String[] {"-v", "flash", "fw.dfu", "--sim", "stm32f405"}, List.of("flash")),
                Arguments.of(new String[] {"option-bytes", "show", "--help"}, List.of("option-bytes")),
                Arguments.of(new String[] {"-V", "info"}, List.of("info")),
                Arguments.of(new String[] {}, all),                      // usage: lists the commands
                Arguments.of(new String[] {"--help"}, all),
                Arguments.of(new String[] {"-h", "info"}, all),          // the tool's help comes first
                Arguments.of(new String[] {"--version", "--help"}, all),
                Arguments.of(new String[] {"help", "flash"}, all),
                Arguments.of(new String[] {"flsh"}, all),                // "did you mean 'dfu flash'?"
                Arguments.of(new String[] {"@args.txt"}, all),           // picocli's argument file
                Arguments.of(new String[] {"-vV"}, all),                 // clustered options: picocli decides
                Arguments.of(new String[] {"--", "info"}, all));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void registersWhatTheCommandLineCanReach(String[] args, List<String> expected) {
        assertEquals(expected, Commands.needed(args));
    }

    @Test
    void eachCommandsHelpIsTheSameAsInTheFullTree() {
        for (String name : Commands.NAMES) {
            CommandLine full = new CommandLine(new DfuCli());
            Commands.register(full);
            HelpLayout.install(full, TerminalWidth.DEFAULT);
            StringWriter out = new StringWriter();
            full.setOut(new PrintWriter(out));
            assertEquals(0, full.execute(name, "--help"));

            CliRunner lazy = CliRunner.run(name, "--help");
            assertEquals(0, lazy.exitCode(), lazy.err());
            assertEquals(out.toString(), lazy.out(), name);
        }
    }

    @Test
    void theToolsHelpStillListsEveryCommand() {
        CliRunner r = CliRunner.run("--help");
        for (String name : Commands.NAMES) {
            assertTrue(r.out().contains("\n  " + name + " "), name + " missing from:\n" + r.out());
        }
    }

    @Test
    void versionWithoutPicocliPrintsWhatPicocliPrints() {
        CliRunner fast = CliRunner.run("--version");
        CliRunner viaPicocli = CliRunner.run("-v", "--version"); // two words: the picocli path
        assertEquals(0, fast.exitCode());
        assertEquals(0, viaPicocli.exitCode());
        assertEquals(viaPicocli.out(), fast.out());
        assertEquals(fast.out(), CliRunner.run("-V").out());
        assertEquals("", fast.err());
    }

    @Test
    void theTrainingFirmwareIsValidIntelHex() {
        byte[] hex = CdsTraining.hexOf(0x0800_0000L, 512).getBytes(StandardCharsets.US_ASCII);
        CliRunner r = CliRunner.runWithInput(new ByteArrayInputStream(hex), "info", "-");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Data:        512 bytes in 1 segment(s)"), r.out());
        assertTrue(r.out().contains("0x08000000..0x08000200"), r.out());
        assertArrayEquals(new String[] {":020000040800F2"}, CdsTraining.hexOf(0x0800_0000L, 0).lines().limit(1).toArray());
    }
}
