package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** dfu util's parser follows getopt_long's rules (clusters, attached arguments, prefixes) and its errors name the option. */
class UtilArgsTest {

    private static UtilArgs parse(String... args) throws UtilArgs.UsageException {
        return UtilArgs.parse(List.of(args));
    }

    @Test
    void clustersCountVerboseAndTakeTheRestOfTheWordAsArgument() throws Exception {
        UtilArgs a = parse("-vvvl");
        assertEquals(3, a.verbose);
        assertTrue(a.has('l'));
        UtilArgs b = parse("-vaINTERNAL", "-Dfw.bin");
        assertEquals(1, b.verbose);
        assertEquals("INTERNAL", b.get('a'));
        assertEquals("fw.bin", b.get('D'));
    }

    @Test
    void aShortOptionTakesTheNextWordEvenWhenItStartsWithADash() throws Exception {
        assertEquals("-", parse("-D", "-").get('D'));
        assertEquals("-v", parse("-U", "-v").get('U'));
        assertEquals(0, parse("-U", "-v").verbose);
    }

    @Test
    void longOptionsTakeEqualsOrTheNextWordAndUniquePrefixes() throws Exception {
        UtilArgs a = parse("--alt=0", "--dfuse-address", "0x08000000:leave", "--down", "fw.bin", "--verb", "--verbose");
        assertEquals("0", a.get('a'));
        assertEquals("0x08000000:leave", a.get('s'));
        assertEquals("fw.bin", a.get('D'));
        assertEquals(2, a.verbose);
        assertEquals("7", parse("--altsetting=7").get('a'));
        assertEquals("2", parse("--intf", "2").get('i'));
        assertEquals("1024", parse("--upload-size=1024", "--upload", "x").get('Z'));
    }

    @Test
    void lastValueWins() throws Exception {
        assertEquals("1", parse("-a", "0", "--alt", "1").get('a'));
    }

    @Test
    void simOptionsArePassedOnAsDfuOptions() throws Exception {
        UtilArgs a = parse("--sim", "stm32f405", "--sim-time=virtual", "--sim-boot0-high", "-l");
        assertEquals(List.of("--sim", "stm32f405", "--sim-time", "virtual", "--sim-boot0-high"), a.sim);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-x                | invalid option -- 'x'",
        "-vq               | invalid option -- 'q'",
        "-a                | option requires an argument -- 'a'",
        "--alt             | option '--alt' requires an argument",
        "--list=yes        | option '--list' doesn't allow an argument",
        "--bogus=1         | unrecognized option '--bogus'",
        "--de              | option '--de' is ambiguous; possibilities: --detach --detach-delay --device --devnum",
        "--s               | option '--s' is ambiguous; possibilities: --serial --sim --sim-state --sim-time --sim-quirk --sim-block-stride --sim-boot0-high",
        "fw.bin            | unexpected argument 'fw.bin' (dfu-util takes no operands)",
    })
    void usageErrorsNameTheOption(String args, String message) {
        UtilArgs.UsageException e = assertThrows(UtilArgs.UsageException.class, () -> parse(args.trim().split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void usageErrorIsExit2WithOneLineNamingTheOption() {
        CliRunner r = CliRunner.run("util", "-l", "--transfer=64", "-k");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals("dfu util: invalid option -- 'k'; try 'dfu util --help'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void dfuseAddressReadsNumbersAsStrtoulWithBaseZero() throws Exception {
        DfuseAddress s = DfuseAddress.parse("0x08000000:1024:leave");
        assertEquals("0x08000000", s.address());
        assertEquals("1024", s.length());
        assertEquals(List.of("leave"), s.modifiers());
        assertEquals("0x00000008", DfuseAddress.parse("010").address()); // octal, as strtoul
        assertEquals("32", DfuseAddress.parse("134217728:0x20").length());
        DfuseAddress leave = DfuseAddress.parse(":leave");
        assertEquals(null, leave.address());
        assertEquals(List.of("force", "mass-erase"), DfuseAddress.parse(":force:mass-erase").modifiers());
        UtilArgs.UsageException bad = assertThrows(UtilArgs.UsageException.class,
                () -> DfuseAddress.parse("0x08000000:lave"));
        assertTrue(bad.getMessage().contains("invalid DfuSe modifier 'lave'"), bad.getMessage());
        assertThrows(UtilArgs.UsageException.class, () -> DfuseAddress.parse("0xZZ"));
        assertThrows(UtilArgs.UsageException.class, () -> DfuseAddress.parse("0x100000000"));
    }

    @Test
    void helpAndVersionExitZeroWithoutTouchingADevice() {
        CliRunner h = CliRunner.run("util", "-h");
        assertEquals(0, h.exitCode());
        assertTrue(h.out().startsWith("Usage: dfu util [options]"), h.out());
        CliRunner v = CliRunner.run("util", "--vers");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("dfu util (dfu-util 0.11 command line)"), v.out());
        assertFalse(v.err().contains("dfu:"), v.err());
    }

    @Test
    void twoJobsAreAUsageError() {
        CliRunner r = CliRunner.run("util", "-D", "a.bin", "-U", "b.bin", "--sim", "stm32f405");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals("dfu util: -D and -U cannot be combined (one job per run)\n", r.err());
    }

    @Test
    void noJobIsAUsageError() {
        CliRunner r = CliRunner.run("util", "-a", "0");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("dfu util: one of -l, -D, -U"), r.err());
    }
}
