package io.github.dfu4j.cli;

import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.MemoryRange;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code dfu flash} prints about a flash: the text report (what was erased and written, verified or
 * not and why, the leave) and the JSON object; {@link #printLeave} is shared with {@code dfu leave} and
 * {@code dfu erase}. Split from {@link FlashCommand}, which runs the flash.
 */
final class FlashReport {
    private FlashReport() {
    }

    static void printText(FlashResult r, boolean plain, boolean expectReset, PrintWriter out, PrintWriter err) {
        long written = r.writes().written().stream().mapToLong(MemoryRange::length).sum();
        out.printf("Erased %d sector(s)%s, wrote %d bytes in %d block(s) (%d blank block(s) skipped%s).%n",
                r.writes().erased().size(), r.writes().massErased().isEmpty() ? "" : " (mass erase)", r.writes().bytesWritten(), r.writes().blocksWritten(),
                r.writes().blankBlocksSkipped(), r.writes().unchangedSectors() > 0 ? ", " + r.writes().unchangedSectors() + " unchanged sector(s) kept" : "");
        for (MemoryRange range : r.writes().written()) {
            out.printf("  wrote %s%n", range);
        }
        r.resetBy().ifPresent(range -> out.printf(plain
                ? "The device reset after manifestation (a plain DFU device that is not manifestation tolerant)%s.%n"
                : "The write of " + range + " made the device reset (" + (expectReset ? "as expected with --expect-reset"
                        : "option bytes load at reset") + ")%s.%n",
                r.verified() ? "; it came back in DFU mode and read back as written" : ""));
        if (r.resetBy().isPresent() && !r.verified() && r.verification().unverifiedBytes() > 0) {
            out.printf("Flashed %d bytes; NOT verified: the device reset before they could be read back.%n", written);
        } else if (r.verified()) {
            out.printf("Flashed and verified %d bytes in %s (erase %s, write %s, verify %s%s).%n", r.verification().verifiedBytes(),
                    seconds(r.timings().total()), seconds(r.timings().erase()), seconds(r.timings().write()), seconds(r.timings().verify()),
                    r.leave().isPresent() ? ", leave " + seconds(r.timings().leave()) : "");
        } else {
            out.printf("Flashed %d bytes in %s; NOT verified (verification was turned off).%n", written, seconds(r.timings().total()));
        }
        if (r.writes().addressingFallback()) {
            out.println("Note: the device mis-addressed block numbers; dfu4j rewrote the image with SET_ADDRESS before every block.");
        }
        if (r.writes().wedgeRecoveries() > 0) {
            out.printf("Note: recovered %d erase(s) from the STM32H7 bank-2 erase wedge (CLRSTATUS pair).%n", r.writes().wedgeRecoveries());
        }
        r.leave().ifPresent(l -> printLeave(l, r.verified() ? LeaveContext.FLASHED_VERIFIED : LeaveContext.FLASHED_UNVERIFIED, out, err));
        for (String warning : r.warnings()) {
            err.println("dfu: warning: " + warning);
        }
    }

    /** What happened before the leave, so the leave's message claims only what was done. */
    enum LeaveContext {
        /** {@code dfu leave}: nothing was flashed. */
        LEAVE_ONLY("", "--address 0x0800BA65"),
        /** {@code dfu flash --no-verify --leave}. */
        FLASHED_UNVERIFIED("flashed (not verified), but ", "--leave=0x0800BA65"),
        /** {@code dfu flash --leave}. */
        FLASHED_VERIFIED("flashed, verified, but ", "--leave=0x0800BA65");

        final String prefix;
        /** How this command is given an explicit address. */
        final String addressExample;

        LeaveContext(String prefix, String addressExample) {
            this.prefix = prefix;
            this.addressExample = addressExample;
        }
    }

    static void printLeave(LeaveResult l, LeaveContext context, PrintWriter out, PrintWriter err) {
        String at = l.address().isPresent()
                ? String.format(" via 0x%08x (%s)", l.address().getAsLong(), describe(l.addressSource())) : "";
        switch (l.outcome()) {
            case LEFT -> out.println("Left DFU mode" + at + "; the application is starting.");
            case DISCONNECTED -> out.println("Left DFU mode" + at + "; the device disconnected while leaving, as expected.");
            case STAYED_IN_DFU -> out.println("Manifestation finished; the device stayed in DFU mode (manifestation tolerant).");
            case CAME_BACK_IN_DFU -> err.println("dfu: " + context.prefix + "the device did not start the application: it left DFU mode"
                    + at + " and came back in DFU mode. Check BOOT0 (must be low), the boot option bytes, and the leave address "
                    + "(H7 ROMs need the reset handler address, e.g. " + context.addressExample + ").");
            case NO_ANSWER -> err.println("dfu: " + context.prefix + "the device did not answer its final status after the"
                    + " leave request" + at + " and is still on the bus: it may still be in DFU mode. Reset the board to start"
                    + " the application.");
            case FAILED -> err.println("dfu: " + context.prefix + "leaving DFU mode failed: "
                    + l.error().map(Remedies::message).orElse("unknown error") + ". Reset the board to start the application.");
        }
    }

    private static String describe(LeaveResult.AddressSource source) {
        return switch (source) {
            case EXPLICIT -> "as given";
            case IMAGE_ENTRY_POINT -> "the image's entry point";
            case RESET_VECTOR -> "the reset handler from the vector table";
            case VECTOR_TABLE_BASE -> "the vector table";
            case LAYOUT_START -> "the start of flash";
            case NONE -> "no address";
        };
    }

    static String seconds(Duration d) {
        return String.format("%.2f s", d.toNanos() / 1e9);
    }

    static Map<String, Object> toJson(FlashResult r, DeviceSession session) {
        Map<String, Object> root = Json.object();
        root.put("device", session.identityJson());
        root.put("verified", r.verified());
        root.put("verifiedBytes", r.verification().verifiedBytes());
        root.put("unverifiedBytes", r.verification().unverifiedBytes());
        root.put("erased", ranges(r.writes().erased()));
        root.put("massErased", r.writes().massErased());
        root.put("written", ranges(r.writes().written()));
        root.put("bytesWritten", r.writes().bytesWritten());
        root.put("blocksWritten", r.writes().blocksWritten());
        root.put("blankBlocksSkipped", r.writes().blankBlocksSkipped());
        root.put("unchangedSectors", r.writes().unchangedSectors());
        root.put("addressing", r.writes().addressing().name());
        root.put("addressingFallback", r.writes().addressingFallback());
        root.put("wedgeRecoveries", r.writes().wedgeRecoveries());
        root.put("requests", r.writes().requests());
        Map<String, Object> t = Json.object();
        t.put("readSeconds", r.timings().read().toNanos() / 1e9);
        t.put("eraseSeconds", r.timings().erase().toNanos() / 1e9);
        t.put("writeSeconds", r.timings().write().toNanos() / 1e9);
        t.put("verifySeconds", r.timings().verify().toNanos() / 1e9);
        t.put("leaveSeconds", r.timings().leave().toNanos() / 1e9);
        t.put("totalSeconds", r.timings().total().toNanos() / 1e9);
        root.put("timings", t);
        root.put("leave", r.leave().map(FlashReport::leaveJson).orElse(null));
        root.put("warnings", r.warnings());
        return root;
    }

    static Map<String, Object> leaveJson(LeaveResult l) {
        Map<String, Object> m = Json.object();
        m.put("outcome", l.outcome().name());
        m.put("address", l.address().isPresent() ? Json.hex(l.address().getAsLong()) : null);
        m.put("addressSource", l.addressSource().name());
        m.put("reenumerationChecked", l.reenumerationChecked());
        m.put("error", l.error().map(Remedies::message).orElse(null));
        return m;
    }

    static List<Object> ranges(List<MemoryRange> ranges) {
        List<Object> list = new ArrayList<>();
        for (MemoryRange r : ranges) {
            Map<String, Object> m = Json.object();
            m.put("alt", r.alt());
            m.put("start", Json.hex(r.start()));
            m.put("end", Json.hex(r.end()));
            list.add(m);
        }
        return list;
    }
}
