package io.github.dfu4j.stm32;

import io.github.dfu4j.dfu.DfuQuirks;
import java.time.Duration;
import java.util.Objects;

/**
 * One change a {@link QuirkRule} makes to dfu-api's {@link DfuQuirks}. Effects only ever make the
 * host more tolerant or raise a budget, so applying several in any order gives the same result,
 * except {@link NeverClearStatusOutsideError}, which overrides {@link WedgedEraseRecovery} (a ROM
 * that stalls CLRSTATUS cannot be recovered with it) and is therefore applied last.
 */
public sealed interface QuirkEffect {

    /** Applies the change to {@code b}, which currently describes {@code current}. */
    void apply(DfuQuirks.Builder b, DfuQuirks current);

    /** What it changes, for documentation and {@code dfu info}. */
    String describe();

    /**
     * A sector erase at or above {@code fromAddress} still in dfuDNBUSY at its budget is ended with
     * CLRSTATUS, CLRSTATUS; dfu-api then reads the sector back and only counts the erase as done when it
     * is blank. A timeout or failed recovery in that range carries {@code hint} in its message.
     *
     * @param fromAddress where the wedge starts (H74x: the bank-2 base 0x08100000)
     * @param hint        the quirk table's fallback, for error messages
     */
    record WedgedEraseRecovery(long fromAddress, String hint) implements QuirkEffect {
        public WedgedEraseRecovery {
            Objects.requireNonNull(hint, "hint");
        }

        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            // the range and hint survive NeverClearStatusOutsideError: without the recovery the wedge is a
            // timeout, and that timeout should still say what to do
            b.wedgedEraseRecovery(true).clearStatusOnlyInError(false).wedgedEraseFrom(fromAddress).wedgedEraseHint(hint);
        }

        @Override
        public String describe() {
            return String.format("wedgedEraseRecovery from 0x%08x: a sector erase still dfuDNBUSY at its budget is ended"
                    + " with CLRSTATUS, CLRSTATUS and read back to confirm it is blank", fromAddress);
        }
    }

    /** The mass-erase budget is at least {@code budget}, whatever bwPollTimeout says. */
    record MassEraseBudgetAtLeast(Duration budget) implements QuirkEffect {
        public MassEraseBudgetAtLeast {
            Objects.requireNonNull(budget, "budget");
        }

        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            if (current.budgets().massEraseBudget().compareTo(budget) < 0) {
                b.massEraseBudget(budget);
            }
        }

        @Override
        public String describe() {
            return "massEraseBudget >= " + budget.toSeconds() + " s (the reported bwPollTimeout is ignored as a bound)";
        }
    }

    /** Stalled GETSTATUS requests are retried until the operation's deadline, not just busyRetries times. */
    record StatusStallsWhileBusy() implements QuirkEffect {
        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            b.statusStallsWhileBusy(true);
        }

        @Override
        public String describe() {
            return "statusStallsWhileBusy: a stalled GETSTATUS means \"still busy\" until the deadline";
        }
    }

    /** The first GETSTATUS after a command may already report dfuDNLOAD-IDLE. */
    record DeviceMaySkipBusy() implements QuirkEffect {
        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            b.deviceMaySkipBusy(true);
        }

        @Override
        public String describe() {
            return "deviceMaySkipBusy: dfuDNLOAD-IDLE on the first GETSTATUS counts as done";
        }
    }

    /** Leave always sends a SET_ADDRESS (the layout start when no jump address is known). */
    record SetAddressBeforeLeave() implements QuirkEffect {
        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            b.setAddressBeforeLeave(true);
        }

        @Override
        public String describe() {
            return "setAddressBeforeLeave: SET_ADDRESS (the flash start if nothing better is known) before the leave DNLOAD";
        }
    }

    /** Blocks are at most {@code bytes} long whatever wTransferSize says. */
    record MaxTransferSize(int bytes) implements QuirkEffect {
        public MaxTransferSize {
            if (bytes < 1 || bytes > 0xFFFF) {
                throw new IllegalArgumentException("transfer size must be 1..65535: " + bytes);
            }
        }

        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            int cap = current.maxTransferSize().isPresent() ? Math.min(bytes, current.maxTransferSize().getAsInt()) : bytes;
            b.maxTransferSize(cap);
        }

        @Override
        public String describe() {
            return "maxTransferSize " + bytes + ": never a DNLOAD/UPLOAD longer than " + bytes + " bytes";
        }
    }

    /** CLRSTATUS is never sent outside dfuERROR; this also rules out the wedge recovery. */
    record NeverClearStatusOutsideError() implements QuirkEffect {
        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            b.clearStatusOnlyInError(true).wedgedEraseRecovery(false);
        }

        @Override
        public String describe() {
            return "clearStatusOnlyInError: no CLRSTATUS outside dfuERROR (and so no wedge recovery)";
        }
    }

    /** Nothing to change in {@link DfuQuirks}: dfu-api already copes, or only the documentation matters. */
    record Handled(String how) implements QuirkEffect {
        public Handled {
            Objects.requireNonNull(how, "how");
        }

        @Override
        public void apply(DfuQuirks.Builder b, DfuQuirks current) {
            // deliberately nothing
        }

        @Override
        public String describe() {
            return how;
        }
    }
}
