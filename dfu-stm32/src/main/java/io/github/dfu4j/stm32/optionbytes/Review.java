package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.ops.Remedy;
import java.util.Optional;
import io.github.dfu4j.ops.Confirmation;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The verdict on an option-byte change: what changes and what it means.
 *
 * @param current  decoded current option bytes
 * @param proposed decoded option bytes after the write
 * @param changes  fields that differ, in table order
 * @param findings consequences, blocking ones first
 */
public record Review(OptionByteReport current, OptionByteReport proposed, List<FieldChange> changes, List<Finding> findings) {
    public Review {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(proposed, "proposed");
        changes = List.copyOf(changes);
        findings = List.copyOf(findings);
    }

    /** Findings that stop the write given {@code granted}. */
    public List<Finding> blocking(Set<Confirmation> granted) {
        return findings.stream().filter(f -> f.blocks(granted)).toList();
    }

    /** True when the write may go ahead with {@code granted}. */
    public boolean allowed(Set<Confirmation> granted) {
        return blocking(granted).isEmpty();
    }

    /** Every confirmation some finding asks for. */
    public Set<Confirmation> confirmationsNeeded() {
        EnumSet<Confirmation> out = EnumSet.noneOf(Confirmation.class);
        findings.forEach(f -> f.needs().ifPresent(out::add));
        return out;
    }

    /** True when the bytes would not change at all. */
    public boolean isNoOp() {
        return current.image().equals(proposed.image());
    }

    /**
     * One field that a write changes.
     *
     * @param field  the field
     * @param before current value
     * @param after  value after the write
     */
    public record FieldChange(OptionByteField field, long before, long after) {
        public FieldChange {
            Objects.requireNonNull(field, "field");
        }

        /** {@code BOOT_SEL 0 -> 1 (BOOT0_PIN: the BOOT0 pin selects the boot mode)} */
        @Override
        public String toString() {
            return field.name() + " " + field.format(before) + " -> " + field.format(after) + " (" + field.meaning(after) + ")";
        }
    }

    /**
     * One result of reviewing an option-byte change.
     *
     * @param kind     what was found
     * @param severity whether it blocks the write
     * @param message  what will happen, in full sentences
     * @param needs    the confirmation that allows it ({@link Severity#NEEDS_CONFIRMATION} only)
     * @param remedy   what undoes or repairs it, e.g. {@link Remedy.Kind#SET_OPTION_BYTES} with the boot fields to set;
     *                 not part of {@code message}, so that a tool words it itself
     */
    public record Finding(Kind kind, Severity severity, String message, Optional<Confirmation> needs, Optional<Remedy> remedy) {

        /** What a finding is about. */
        public enum Kind {
            /** The write resets the chip: the USB device disconnects and re-enumerates. */
            DEVICE_RESETS,
            /** Nothing would change. */
            NO_CHANGE,
            /** The byte layout is unverified. */
            UNVERIFIED_LAYOUT,
            /** RDP goes to level 1: reads, erases and writes are refused afterwards. */
            READ_PROTECTION_ON,
            /** RDP goes from level 1 to 0: mass erase. */
            READ_PROTECTION_OFF_MASS_ERASE,
            /** RDP goes to level 2: permanent. */
            READ_PROTECTION_PERMANENT,
            /** The chip is at RDP level 2: nothing can be changed. */
            LOCKED_AT_LEVEL_2,
            /** BOOT0 low would no longer start the application. */
            APPLICATION_NOT_BOOTED,
            /** BOOT0 high would no longer reach the ROM bootloader. */
            ROM_NOT_REACHABLE,
            /** The boot selection is (still or newly) fine again. */
            BOOT_SELECTION,
            /** The current option bytes have complement errors; the write repairs them. */
            COMPLEMENTS_REPAIRED,
            /**
             * A bank-boot bit (F42x BFB2, F76x nDBOOT, H7 SWAP_BANK_OPT) changes, or stays on: which flash bank
             * boots then depends on what the banks hold, which neither the boot models nor the interlocks see.
             */
            BANK_BOOT
        }

        /** How much a finding weighs. */
        public enum Severity {
            /** Told, never blocks. */
            INFO,
            /** Blocks unless {@link #needs()} is granted. */
            NEEDS_CONFIRMATION,
            /** Cannot be done at all. */
            IMPOSSIBLE
        }

        public Finding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(needs, "needs");
            Objects.requireNonNull(remedy, "remedy");
            if ((severity == Severity.NEEDS_CONFIRMATION) != needs.isPresent()) {
                throw new IllegalArgumentException("a confirmation belongs to NEEDS_CONFIRMATION findings only");
            }
        }

        /** A finding without a remedy. */
        public Finding(Kind kind, Severity severity, String message, Optional<Confirmation> needs) {
            this(kind, severity, message, needs, Optional.empty());
        }

        static Finding info(Kind kind, String message) {
            return info(kind, message, Optional.empty());
        }

        static Finding info(Kind kind, String message, Optional<Remedy> remedy) {
            return new Finding(kind, Severity.INFO, message, Optional.empty(), remedy);
        }

        static Finding needs(Kind kind, Confirmation confirmation, String message) {
            return needs(kind, confirmation, message, Optional.empty());
        }

        static Finding needs(Kind kind, Confirmation confirmation, String message, Optional<Remedy> remedy) {
            return new Finding(kind, Severity.NEEDS_CONFIRMATION, message, Optional.of(confirmation), remedy);
        }

        static Finding impossible(Kind kind, String message) {
            return new Finding(kind, Severity.IMPOSSIBLE, message, Optional.empty());
        }

        /** The message with the remedy, if any, in API terms ({@link Remedy#describe()}). */
        public String messageWithRemedy() {
            return remedy.map(r -> message + "; " + r.describe()).orElse(message);
        }

        /** True when this finding stops the write given the confirmations granted. */
        public boolean blocks(java.util.Set<Confirmation> granted) {
            return severity == Severity.IMPOSSIBLE || (severity == Severity.NEEDS_CONFIRMATION && !granted.contains(needs.get()));
        }
    }
}
