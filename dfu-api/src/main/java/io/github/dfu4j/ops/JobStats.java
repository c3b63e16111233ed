package io.github.dfu4j.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the running operation of a {@link DfuDevice} has done so far: the counters a download reports in
 * its {@link FlashResult}, and what a cancel reports ({@link io.github.dfu4j.dfu.DfuCancelledException.DeviceChanges}).
 */
final class JobStats {
    final List<MemoryRange> erased = new ArrayList<>();
    final List<Integer> massErased = new ArrayList<>();
    final List<MemoryRange> written = new ArrayList<>();
    long bytesWritten;
    int blocksWritten;
    int blankSkipped;
    long verifiedBytes;
    long unverifiedBytes;
    int wedges;
    /** What the plan writes in all (for a cancel's report). */
    long bytesToWrite;
    /** The run being written: its alt, start and the end of its last written block; runStart -1 between runs. */
    int runAlt;
    long runStart = -1;
    long runEnd;
    /** The sector or block whose request is in flight. */
    MemoryRange pending;
    Duration read = Duration.ZERO;
    Duration erase = Duration.ZERO;
    Duration write = Duration.ZERO;
    Duration verify = Duration.ZERO;
    Duration leave = Duration.ZERO;

    /** Forgets what a pass erased, wrote and verified (the fallback does it all again). */
    void startOver() {
        erased.clear();
        massErased.clear();
        written.clear();
        bytesWritten = 0;
        blocksWritten = 0;
        blankSkipped = 0;
        verifiedBytes = 0;
        unverifiedBytes = 0;
        runStart = -1;
        pending = null;
    }
}
