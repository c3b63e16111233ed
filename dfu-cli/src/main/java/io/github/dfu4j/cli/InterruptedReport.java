package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.DfuCancelledException.DeviceChanges;
import io.github.dfu4j.ops.MemoryRange;
import io.github.dfu4j.dfu.DfuCancelledException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one line a command prints when Ctrl-C or SIGTERM stopped it: what the chip holds now, in the
 * CLI's words and flags, from the library's typed report ({@link DeviceChanges}); the exit code is the
 * signal's (130 / 143).
 */
final class InterruptedReport {
    private InterruptedReport() {
    }

    /** dfu flash: what was erased and written, and how to finish (--incremental skips what is already there). */
    static CliException flash(DfuCancelledException e) {
        DeviceChanges c = e.changes().orElseThrow();
        String what;
        if (!c.changedMemory()) {
            what = c.phase() == Phase.LEAVE ? "the image was flashed and verified, leaving DFU mode did not finish;"
                    + " run 'dfu leave' to start it" : "nothing was erased or written; the chip is unchanged";
        } else if (c.phase() == Phase.LEAVE) {
            what = "the image was flashed and verified, leaving DFU mode did not finish; run 'dfu leave' to start it";
        } else if (c.writeComplete()) {
            what = erasedPart(c) + "the whole image written (" + size(c.bytesToWrite()) + ") but not verified;"
                    + " re-run with --incremental to verify it";
        } else {
            String written = c.bytesWritten() == 0 ? "nothing of the " + size(c.bytesToWrite()) + " written yet"
                    : size(c.bytesWritten()) + " of " + size(c.bytesToWrite()) + " written";
            what = erasedPart(c) + written + pendingPart(c) + "; the chip holds a partial image; re-run with --incremental to finish";
        }
        return new CliException(Interruption.cancelledExitCode(), "interrupted: " + what + idlePart(e), e);
    }

    /** dfu erase: the sectors erased so far. */
    static CliException erase(DfuCancelledException e, boolean mass) {
        DeviceChanges c = e.changes().orElseThrow();
        String what;
        if (mass) {
            what = !c.massErased().isEmpty() ? "the mass erase had finished before dfu could stop; the memory is erased"
                    : c.changedMemory() ? "the mass erase was in progress; the memory may be partly erased; run the mass erase again"
                    : "the mass erase had not started; the chip is unchanged";
        } else if (!c.changedMemory()) {
            what = "nothing was erased; the chip is unchanged";
        } else {
            String erased = erasedPart(c);
            what = (erased.isEmpty() ? "" : erased.substring(0, erased.length() - 2)) + pendingPart(c)
                    + "; the rest of the range was not erased; re-run the erase to finish";
            what = what.startsWith("; ") ? what.substring(2) : what;
        }
        return new CliException(Interruption.cancelledExitCode(), "interrupted: " + what + idlePart(e), e);
    }

    /** dfu upload: reading changes nothing; the output file is not written. */
    static CliException upload(DfuCancelledException e, java.nio.file.Path output) {
        return new CliException(Interruption.cancelledExitCode(), "interrupted: the chip is unchanged (reading changes"
                + " nothing); " + output + " was not written" + idlePart(e), e);
    }

    /** "3 sectors erased (0x08000000-0x0800bfff), " or "". */
    private static String erasedPart(DeviceChanges c) {
        StringBuilder sb = new StringBuilder();
        if (!c.massErased().isEmpty()) {
            sb.append("mass-erased, ");
        }
        if (!c.erased().isEmpty()) {
            sb.append(c.erased().size()).append(c.erased().size() == 1 ? " sector" : " sectors").append(" erased (")
                    .append(String.join(", ", spans(c.erased()))).append("), ");
        }
        return sb.toString();
    }

    private static String pendingPart(DeviceChanges c) {
        return c.pending().map(p -> String.format(" (0x%08x-0x%08x was in progress and may be done)", p.start(), p.end() - 1))
                .orElse("");
    }

    private static String idlePart(DfuCancelledException e) {
        return e.deviceIdle() ? "" : " (the device was still busy when dfu stopped waiting for it)";
    }

    /** Adjacent ranges merged: "0x08000000-0x0801ffff". */
    static List<String> spans(List<MemoryRange> ranges) {
        List<String> out = new ArrayList<>();
        List<MemoryRange> sorted = ranges.stream().sorted((a, b) -> a.alt() != b.alt() ? Integer.compare(a.alt(), b.alt())
                : Long.compare(a.start(), b.start())).toList();
        MemoryRange cur = null;
        for (MemoryRange r : sorted) {
            if (cur != null && cur.alt() == r.alt() && r.start() <= cur.end()) {
                cur = new MemoryRange(cur.alt(), cur.start(), Math.max(cur.end(), r.end()));
                continue;
            }
            if (cur != null) {
                out.add(span(cur));
            }
            cur = r;
        }
        if (cur != null) {
            out.add(span(cur));
        }
        return out;
    }

    private static String span(MemoryRange r) {
        return String.format("%s0x%08x-0x%08x", r.alt() == 0 ? "" : "alt " + r.alt() + " ", r.start(), r.end() - 1);
    }

    /** "12 KiB", "12.5 KiB", "512 bytes". */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
