package io.github.dfu4j.cli;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress bar on stderr: one line per phase, ending at 100%, and nothing unless asked for off a terminal. */
class ProgressBarTest {
    private static String firmware() {
        return DeviceCommandsTest.FIRMWARE.resolve("blinky-f405.elf").toString();
    }

    @Test
    void forcedBarShowsEachPhaseOnItsOwnLineEndingAtOneHundredPercent() {
        CliRunner r = CliRunner.run("flash", firmware(), "--sim", "stm32f405", "--sim-time", "virtual", "--progress");
        assertEquals(0, r.exitCode(), r.err());
        // each phase redraws its line with \r and finishes it with a newline
        List<String> finished = Arrays.stream(r.err().split("\n"))
                .map(line -> line.substring(line.lastIndexOf('\r') + 1))
                .filter(line -> line.matches("^(erase|write|verify) +\\[.*"))
                .toList();
        assertEquals(List.of("erase", "write", "verify"), finished.stream().map(l -> l.split(" ")[0]).toList(), r.err());
        for (String line : finished) {
            assertTrue(line.matches("^\\w+ +\\[#{30}\\] 100%.*"), line);
        }
        // while it runs, a redraw names the address being written
        assertTrue(Arrays.stream(r.err().split("[\r\n]")).anyMatch(l -> l.matches("^write +\\[.*\\] +\\d+%  0x080[0-9a-f]{5}$")),
                r.err());
    }

    @Test
    void noBarWhenNotATerminalAndNotForced() {
        CliRunner r = CliRunner.run("flash", firmware(), "--sim", "stm32f405", "--sim-time", "virtual", "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("["), r.err());
    }
}
