package io.github.dfu4j.ops;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One thing the write gate found about an operation before anything was sent: a risk that needs a
 * {@link Confirmation}, a write that can never be allowed, or a fact worth reporting.
 *
 * @param kind       what was found, for programs (a tool maps it to its own words)
 * @param needs      the confirmation that lifts it; empty for facts and for impossible writes
 * @param impossible no confirmation lifts it
 * @param message    one line for people; never names a command-line flag
 * @param alt        the alternate setting concerned, when one is
 * @param address    the first address concerned, when one is
 * @param remedy     what undoes or repairs it (not part of {@code message}, so that a tool words it itself)
 */
public record WriteFinding(Kind kind, Optional<Confirmation> needs, boolean impossible, String message,
                           OptionalInt alt, OptionalLong address, Optional<Remedy> remedy) {

    /** What a finding is about. */
    public enum Kind {
        /** A write or erase outside every region of the memory layout. */
        OUTSIDE_LAYOUT,
        /** A write or erase into a region the layout marks not writable or not erasable. */
        NOT_WRITABLE,
        /** An option-byte write, decoded and reviewed (the message says what the rule is). */
        OPTION_BYTES,
        /** An option-byte write that cannot be decoded for this device (unknown chip or layout). */
        OPTION_BYTES_UNDECODED,
        /** One-time-programmable memory: permanent. */
        OTP,
        /** ROM (system memory) or the bootloader itself. */
        SYSTEM_MEMORY,
        /** The file's DFU suffix names another device. */
        DEVICE_ID_MISMATCH,
        /** READ_UNPROTECT: mass erase and reset. */
        READ_UNPROTECT,
        /** The write makes the device reset (option bytes): reported, not refused. */
        DEVICE_RESETS
    }

    public WriteFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(needs, "needs");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(alt, "alt");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(remedy, "remedy");
        if (impossible && needs.isPresent()) {
            throw new IllegalArgumentException("an impossible write needs no confirmation");
        }
    }

    /** A risk that {@code confirmation} lifts. */
    public static WriteFinding needs(Kind kind, Confirmation confirmation, String message, int alt, long address) {
        return new WriteFinding(kind, Optional.of(confirmation), false, message, optAlt(alt), optAddress(address), Optional.empty());
    }

    /** A write nothing can allow. */
    public static WriteFinding impossible(Kind kind, String message, int alt, long address) {
        return new WriteFinding(kind, Optional.empty(), true, message, optAlt(alt), optAddress(address), Optional.empty());
    }

    /** A fact to report. */
    public static WriteFinding info(Kind kind, String message, int alt, long address) {
        return new WriteFinding(kind, Optional.empty(), false, message, optAlt(alt), optAddress(address), Optional.empty());
    }

    /** This finding with {@code remedy}. */
    public WriteFinding withRemedy(Optional<Remedy> remedy) {
        return new WriteFinding(kind, needs, impossible, message, alt, address, remedy);
    }

    /** The message with the remedy, if any, in API terms ({@link Remedy#describe()}). */
    public String messageWithRemedy() {
        return remedy.map(r -> message + "; " + r.describe()).orElse(message);
    }

    /** True when this finding stops the operation given what the caller confirmed. */
    public boolean blocks(Set<Confirmation> confirmed) {
        return impossible || needs.isPresent() && !confirmed.contains(needs.get());
    }

    private static OptionalInt optAlt(int alt) {
        return alt < 0 ? OptionalInt.empty() : OptionalInt.of(alt);
    }

    private static OptionalLong optAddress(long address) {
        return address < 0 ? OptionalLong.empty() : OptionalLong.of(address);
    }
}
