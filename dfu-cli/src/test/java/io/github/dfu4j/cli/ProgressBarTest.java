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
            assertTrue(line.matches("^\\w+ +\\[#+\\] 100%.*"), line);
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

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} columns")
    @org.junit.jupiter.params.provider.ValueSource(ints = {10, 20, 25, 30, 40, 55, 80, 120, 200})
    void everyRedrawFitsTheTerminalWithoutTouchingItsLastColumn(int columns) {
        java.io.StringWriter out = new java.io.StringWriter();
        ProgressBar bar = new ProgressBar(new java.io.PrintWriter(out), columns);
        for (int p = 0; p <= 100; p += 7) {
            String line = bar.render("verify", p, 0x08004000L);
            assertTrue(line.length() <= columns - 1 - ProgressBar.ECHO || line.length() <= 12,
                    columns + " columns: " + line.length() + " chars: " + line);
            assertTrue(line.contains(p + "%"), line);
        }
        if (columns >= 40) {
            assertTrue(bar.render("write", 45, 0x08004000L).contains("["), "a bar at " + columns + " columns");
        }
        if (columns >= 80) {
            assertTrue(bar.render("write", 45, 0x08004000L).endsWith("  0x08004000"), "the address at " + columns);
        }
        assertTrue(bar.render("write", 100, null).length() <= Math.max(columns - 1, 12));
    }

    @Test
    void theBarGrowsWithTheTerminalUpToItsMaximum() {
        java.io.PrintWriter sink = new java.io.PrintWriter(new java.io.StringWriter());
        int at40 = new ProgressBar(sink, 40).render("write", 100, 0L).chars().filter(c -> c == '#').sum() / '#';
        int at120 = new ProgressBar(sink, 120).render("write", 100, 0L).chars().filter(c -> c == '#').sum() / '#';
        assertTrue(at40 >= ProgressBar.MIN_BAR && at40 < at120 && at120 == ProgressBar.MAX_BAR, at40 + " " + at120);
    }

    @Test
    void finishLineEndsAnInterruptedBarOnce() {
        java.io.StringWriter out = new java.io.StringWriter();
        ProgressBar bar = new ProgressBar(new java.io.PrintWriter(out), 80);
        bar.onProgress(new io.github.dfu4j.ops.ProgressEvent(io.github.dfu4j.dfu.Phase.WRITE,
                io.github.dfu4j.ops.ProgressEvent.Type.ADVANCED, 2048, 8192, java.util.OptionalLong.of(0x08000800L)));
        assertFalse(out.toString().endsWith("\n"), "the bar is drawn in place: " + out);
        ProgressBar.finishOpenLines(); // what an interrupt handler calls
        assertTrue(out.toString().endsWith("\n"), out.toString());
        int newlines = out.toString().split("\n", -1).length;
        bar.finishLine();
        ProgressBar.finishOpenLines();
        assertEquals(newlines, out.toString().split("\n", -1).length, "a finished line is not ended twice");
    }
}
