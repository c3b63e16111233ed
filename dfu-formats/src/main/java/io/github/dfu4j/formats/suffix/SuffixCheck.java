package io.github.dfu4j.formats.suffix;

import io.github.dfu4j.formats.DfuSuffix;

import java.util.Objects;
import java.util.Optional;

/**
 * What the last 16 bytes of a file say about a DFU suffix. Unlike dfu-util's {@code dfu-suffix},
 * which "can not tell a broken DFU suffix from a non-existing suffix", this separates the cases.
 *
 * @param status      the verdict
 * @param fields      the suffix fields when the signature and length were present (also for a CRC
 *                    mismatch), otherwise null
 * @param storedCrc   dwCRC as stored, or -1 when no suffix was recognised
 * @param computedCrc CRC of all bytes before dwCRC, or -1 when no suffix was recognised
 */
public record SuffixCheck(Status status, DfuSuffix fields, long storedCrc, long computedCrc) {
    /** Verdicts, from "nothing there" to "valid". */
    public enum Status {
        /** Shorter than the 16-byte suffix. */
        TOO_SHORT,
        /** No "UFD" signature at offset 8 of the last 16 bytes: the file has no suffix. */
        NO_SIGNATURE,
        /** Signature present but bLength is not 16. */
        BAD_LENGTH,
        /** Signature and length present, CRC wrong: a damaged or hand-edited file. */
        CRC_MISMATCH,
        /** A complete, correct suffix. */
        VALID
    }

    /**
     * Checks that the verdict is present.
     *
     * @param status      the verdict
     * @param fields      the suffix fields, or {@code null}
     * @param storedCrc   dwCRC as stored, or -1
     * @param computedCrc the CRC of the bytes before dwCRC, or -1
     * @throws NullPointerException when {@code status} is {@code null}
     */
    public SuffixCheck {
        Objects.requireNonNull(status, "status");
    }

    /**
     * Whether the file ends in a complete, correct suffix.
     *
     * @return {@code true} for {@link Status#VALID}
     */
    public boolean valid() {
        return status == Status.VALID;
    }

    /**
     * The fields of a valid suffix.
     *
     * @return the fields, or empty unless {@link #valid()}
     */
    public Optional<DfuSuffix> suffix() {
        return valid() ? Optional.of(fields) : Optional.empty();
    }

    /**
     * One-line explanation, e.g. "DFU suffix CRC mismatch: dwCRC says 0x12345678, the file's bytes give 0x9abcdef0".
     *
     * @return the explanation, without a line terminator
     */
    public String describe() {
        switch (status) {
            case TOO_SHORT:
                return "too short for a 16-byte DFU suffix";
            case NO_SIGNATURE:
                return "no DFU suffix (no \"UFD\" signature in the last 16 bytes)";
            case BAD_LENGTH:
                return "DFU suffix bLength is not 16";
            case CRC_MISMATCH:
                return String.format("DFU suffix CRC mismatch: dwCRC says 0x%08x, the file's bytes give 0x%08x", storedCrc, computedCrc);
            default:
                return String.format("valid DFU suffix (CRC 0x%08x)", storedCrc);
        }
    }
}
