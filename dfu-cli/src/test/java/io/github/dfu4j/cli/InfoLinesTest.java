package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.Advice;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A warning is something the user should act on. Known facts of a chip or board (an mboot board
 * over-claiming its flash, writes beyond a smaller part of the die) are "dfu: info:" lines shown
 * with -v; a USB error is one line plus one line with the fix.
 */
class InfoLinesTest {
    static final String PYBD = DeviceCommandsTest.FIRMWARE.resolve("pybd-sf2-two-region.dfu").toString();
    static final String H743 = DeviceCommandsTest.FIRMWARE.resolve("blinky-f405.bin").toString();

    @Test
    void aPyboardFlashPrintsNoWarningAndTheBoardFactsOnlyWithVerbose() {
        CliRunner quiet = CliRunner.run("flash", PYBD, "--sim", "mboot-pybd-sf2", "--sim-time", "virtual");
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertFalse(quiet.err().contains("warning:"), quiet.err());
        CliRunner verbose = CliRunner.run("flash", PYBD, "--sim", "mboot-pybd-sf2", "--sim-time", "virtual", "-v");
        assertEquals(0, verbose.exitCode(), verbose.err());
        assertTrue(verbose.err().contains("dfu: info: alt 0: mboot on PYBD-SF2 (STM32F722IEK) advertises 1024 KiB"), verbose.err());
        assertFalse(verbose.err().contains("warning:"), verbose.err());
    }

    @Test
    void anH743ImageBeyond128KiBNamesTheH750OnlyWithVerbose() {
        // 552 bytes placed at 0x08040000: beyond an STM32H750xB's 128 KiB on the same die
        List<String> args = List.of("flash", H743, "--base", "0x08040000", "--sim", "stm32h743", "--sim-time", "virtual",
                "--device-id", "0x450");
        CliRunner quiet = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertFalse(quiet.err().contains("STM32H750xB") || quiet.err().contains("warning:"), quiet.err());
        CliRunner verbose = CliRunner.run(concat(args, "-v"));
        assertTrue(verbose.err().contains("dfu: info: the image writes flash at 0x08040000, outside the flash of STM32H750xB"),
                verbose.err());
    }

    @Test
    void aUsbErrorIsOneLineAndOneFix() {
        Advice advice = new Advice("No DFU-capable USB device is visible.",
                List.of("Put the board into DFU mode.", "Use a data cable.", "Check lsusb."));
        assertEquals("  fix: Put the board into DFU mode. (2 more steps: dfu doctor, or -v)" + System.lineSeparator(),
                DfuCli.adviceText(advice, false));
        assertTrue(DfuCli.adviceText(advice, true).contains("3. Check lsusb."), "every step with -v");
        assertEquals("  fix: Only this." + System.lineSeparator(),
                DfuCli.adviceText(new Advice("x", List.of("Only this.")), false));
    }

    private static String[] concat(List<String> args, String more) {
        String[] out = args.toArray(new String[args.size() + 1]);
        out[args.size()] = more;
        return out;
    }
}
