package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.DfuCancelledException.DeviceChanges;
import io.github.dfu4j.ops.MemoryRange;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The interruption line of each command from the library's typed report, word for word as
 * docs/user-guide.md ("Interrupting a command") shows them; exit code 130 when no signal handler ran.
 */
class InterruptedReportTest {
    private static final MemoryRange S0 = new MemoryRange(0, 0x0800_0000L, 0x0800_4000L);
    private static final MemoryRange S1 = new MemoryRange(0, 0x0800_4000L, 0x0800_8000L);
    private static final MemoryRange S4 = new MemoryRange(0, 0x0801_0000L, 0x0802_0000L);

    private static DfuCancelledException cancelled(DeviceChanges c, boolean idle, boolean duringRequest) {
        return new DfuCancelledException("cancelled", c.phase(), null, null, duringRequest).withChanges(c, idle);
    }

    private static List<MemoryRange> sixSectors() {
        return List.of(S0, S1, new MemoryRange(0, 0x0800_8000L, 0x0800_C000L), new MemoryRange(0, 0x0800_C000L, 0x0801_0000L), S4,
                new MemoryRange(0, 0x0802_0000L, 0x0804_0000L));
    }

    @Test
    void flashStoppedInTheWriteNamesTheErasedSpanTheBytesWrittenAndIncremental() {
        DeviceChanges c = new DeviceChanges(Phase.WRITE, sixSectors(), List.of(),
                List.of(new MemoryRange(0, 0x0800_4000L, 0x0801_3000L)), 60 * 1024, 256 * 1024, Optional.empty());
        CliException e = InterruptedReport.flash(cancelled(c, true, false));
        assertEquals(ExitCode.INTERRUPTED, e.exitCode());
        assertEquals("interrupted: 6 sectors erased (0x08000000-0x0803ffff), 60 KiB of 256 KiB written; the chip holds a partial"
                + " image; re-run with --incremental to finish", e.getMessage());
    }

    @Test
    void flashStoppedBeforeAnyChangeVerifyOrWithABusyDevice() {
        assertEquals("interrupted: nothing was erased or written; the chip is unchanged",
                InterruptedReport.flash(cancelled(DeviceChanges.none(Phase.READ), true, false)).getMessage());
        DeviceChanges written = new DeviceChanges(Phase.VERIFY, List.of(), List.of(), List.of(S1), 256 * 1024, 256 * 1024,
                Optional.empty());
        assertEquals("interrupted: the whole image written (256 KiB) but not verified; re-run with --incremental to verify it",
                InterruptedReport.flash(cancelled(written, true, false)).getMessage());
        // erase in flight (a 128 KiB sector) and the device still busy after the wind-down
        DeviceChanges erasing = new DeviceChanges(Phase.ERASE, List.of(S0, S1), List.of(), List.of(), 0, 100 * 1024,
                Optional.of(S4));
        assertEquals("interrupted: 2 sectors erased (0x08000000-0x08007fff), nothing of the 100 KiB written yet (0x08010000-0x0801ffff"
                        + " was in progress and may be done); the chip holds a partial image; re-run with --incremental to finish"
                        + " (the device was still busy when dfu stopped waiting for it)",
                InterruptedReport.flash(cancelled(erasing, false, true)).getMessage());
    }

    @Test
    void eraseAndUploadLines() {
        DeviceChanges two = new DeviceChanges(Phase.ERASE, List.of(S0, S1), List.of(), List.of(), 0, 0, Optional.empty());
        assertEquals("interrupted: 2 sectors erased (0x08000000-0x08007fff); the rest of the range was not erased; re-run the"
                + " erase to finish", InterruptedReport.erase(cancelled(two, true, false), false).getMessage());
        DeviceChanges massDone = new DeviceChanges(Phase.ERASE, List.of(), List.of(0), List.of(), 0, 0, Optional.empty());
        assertEquals("interrupted: the mass erase had finished before dfu could stop; the memory is erased",
                InterruptedReport.erase(cancelled(massDone, true, false), true).getMessage());
        DeviceChanges massBusy = new DeviceChanges(Phase.ERASE, List.of(), List.of(), List.of(), 0, 0,
                Optional.of(new MemoryRange(0, 0x0800_0000L, 0x0810_0000L)));
        assertEquals("interrupted: the mass erase was in progress; the memory may be partly erased; run the mass erase again"
                + " (the device was still busy when dfu stopped waiting for it)",
                InterruptedReport.erase(cancelled(massBusy, false, true), true).getMessage());
        assertEquals("interrupted: nothing was erased; the chip is unchanged",
                InterruptedReport.erase(cancelled(DeviceChanges.none(Phase.ERASE), true, false), false).getMessage());
        assertEquals("interrupted: the chip is unchanged (reading changes nothing); out.bin was not written",
                InterruptedReport.upload(cancelled(DeviceChanges.none(Phase.READ), true, false), Path.of("out.bin")).getMessage());
    }

    @Test
    void sizesAndSpans() {
        assertEquals("512 bytes", InterruptedReport.size(512));
        assertEquals("12.5 KiB", InterruptedReport.size(12800));
        assertEquals(List.of("0x08000000-0x08007fff", "0x08010000-0x0801ffff", "alt 1 0x90000000-0x90000fff"),
                InterruptedReport.spans(List.of(S4, S1, new MemoryRange(1, 0x9000_0000L, 0x9000_1000L), S0)));
    }
}
