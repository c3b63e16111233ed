package io.github.dfu4j.dfu;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Protocol behaviour that differs between devices, as data. {@link #defaults()} suits a well-behaved
 * DfuSe or DFU 1.1 device and is deliberately tolerant; a device profile (dfu-stm32) adjusts it per
 * chip or bootloader.
 *
 * <pre>{@code
 * DfuQuirks q = DfuQuirks.builder().maxTransferSize(1024).eraseBudget(Duration.ofSeconds(30)).build();
 * DeviceProfile profile = DeviceProfile.of("my board", LeaveMode.JUMP_TO_ADDRESS, q);
 * }</pre>
 *
 * @param budgets                   how long requests and operations may take
 * @param busyRetries               how many consecutive stalled or timed-out GETSTATUS requests are
 *                                  retried while an operation runs (dfu-util: 3)
 * @param statusStallsWhileBusy     the device stalls GETSTATUS while erasing (STM32L4-style): stalls are
 *                                  retried for the whole budget, not just {@code busyRetries} times
 * @param deviceMaySkipBusy         the first GETSTATUS after a command may already report
 *                                  dfuDNLOAD-IDLE (seen on STM32U5A9); when false that is an error
 * @param ignoreSetAddressPollTimeout ST ROMs report bogus bwPollTimeout for SET_ADDRESS; poll at once
 * @param setAddressBeforeLeave     leave needs a SET_ADDRESS even without a jump address (STM32C071);
 *                                  the start of the first layout region is used then
 * @param maxTransferSize           caps wTransferSize (STM32G4 stalls blocks above 1024 bytes)
 * @param wedgedErase               the STM32H74x bank-2 erase wedge: whether and where it is recovered,
 *                                  and the hint for when it cannot be ({@link WedgedErase#NONE}: no such quirk)
 * @param clearStatusOnlyInError    never send CLRSTATUS outside dfuERROR: some ROMs stall or fail on it
 *                                  (STM32C5; an ST ROM broke dfu-core's initial CLRSTATUS)
 * @param statusHeldWhileBusy       the device holds (NAKs) every request while the flash is busy and
 *                                  answers a GETSTATUS once the operation is done (STM32 ROMs and mboot
 *                                  run it in the USB interrupt): a dfuDNBUSY reply is polled again at once
 *                                  instead of after its bwPollTimeout, and the held request's USB timeout
 *                                  is the remaining budget, as always. pydfu drives ST ROMs this way. When
 *                                  false, bwPollTimeout is honoured (a device that answers dfuDNBUSY while
 *                                  busy may fail an early poll)
 */
public record DfuQuirks(Budgets budgets, int busyRetries, boolean statusStallsWhileBusy, boolean deviceMaySkipBusy,
                        boolean ignoreSetAddressPollTimeout, boolean setAddressBeforeLeave, OptionalInt maxTransferSize,
                        WedgedErase wedgedErase, boolean clearStatusOnlyInError, boolean statusHeldWhileBusy) {

    private static final DfuQuirks DEFAULTS = new Builder().build();

    public DfuQuirks {
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(maxTransferSize, "maxTransferSize");
        Objects.requireNonNull(wedgedErase, "wedgedErase");
        if (busyRetries < 0) {
            throw new IllegalArgumentException("busyRetries must not be negative: " + busyRetries);
        }
        if (maxTransferSize.isPresent() && (maxTransferSize.getAsInt() < 1 || maxTransferSize.getAsInt() > 0xFFFF)) {
            throw new IllegalArgumentException("maxTransferSize must be 1..65535: " + maxTransferSize.getAsInt());
        }
        if (wedgedErase.recover() && clearStatusOnlyInError) {
            throw new IllegalArgumentException(
                    "wedgedEraseRecovery sends CLRSTATUS in dfuDNBUSY, which clearStatusOnlyInError forbids");
        }
    }

    /**
     * How long requests and operations may keep the device busy.
     *
     * @param controlTimeout  USB timeout of an ordinary control transfer (dfu-util: 5 s)
     * @param commandBudget   how long a SET_ADDRESS or other command may keep the device busy
     * @param writeBudget     how long one data block may keep the device busy
     * @param eraseBudget     minimum busy budget of a page/sector erase (128/256 KiB sectors take seconds)
     * @param massEraseBudget minimum busy budget of a mass erase; devices understate it
     *                        (STM32F405 reports 100 ms, takes up to ~32 s)
     * @param manifestBudget  how long manifestation / leave may keep the device busy
     */
    public record Budgets(Duration controlTimeout, Duration commandBudget, Duration writeBudget, Duration eraseBudget,
                          Duration massEraseBudget, Duration manifestBudget) {
        public Budgets {
            positive("controlTimeout", controlTimeout);
            positive("commandBudget", commandBudget);
            positive("writeBudget", writeBudget);
            positive("eraseBudget", eraseBudget);
            positive("massEraseBudget", massEraseBudget);
            positive("manifestBudget", manifestBudget);
        }
    }

    /**
     * The bank-2 erase wedge (STM32H743 rev V): a sector erase at or above {@code from} that stays in
     * dfuDNBUSY beyond its budget.
     *
     * @param recover when true the erase is recovered with CLRSTATUS, CLRSTATUS (as STM32CubeProgrammer
     *                does); the erase only counts as done once the sector reads back blank
     *                ({@link io.github.dfu4j.ops.DfuDevice} checks); needs {@code clearStatusOnlyInError} false
     * @param from    lowest sector-erase address the wedge applies to (H74x: the bank-2 base 0x08100000);
     *                0 = every sector erase. Mass erases never qualify
     * @param hint    what to do instead when such an erase times out or cannot be recovered; appended to
     *                that error's message (empty: no hint)
     */
    public record WedgedErase(boolean recover, long from, String hint) {
        /** No wedge quirk: nothing is recovered and no hint is given. */
        public static final WedgedErase NONE = new WedgedErase(false, 0, "");

        public WedgedErase {
            Objects.requireNonNull(hint, "hint");
            if (from < 0 || from > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("wedgedEraseFrom must be a 32-bit address: " + from);
            }
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Tolerant settings for a device nothing is known about. */
    public static DfuQuirks defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.controlTimeout = budgets.controlTimeout();
        b.commandBudget = budgets.commandBudget();
        b.writeBudget = budgets.writeBudget();
        b.eraseBudget = budgets.eraseBudget();
        b.massEraseBudget = budgets.massEraseBudget();
        b.manifestBudget = budgets.manifestBudget();
        b.busyRetries = busyRetries;
        b.statusStallsWhileBusy = statusStallsWhileBusy;
        b.deviceMaySkipBusy = deviceMaySkipBusy;
        b.ignoreSetAddressPollTimeout = ignoreSetAddressPollTimeout;
        b.setAddressBeforeLeave = setAddressBeforeLeave;
        b.maxTransferSize = maxTransferSize;
        b.wedgedEraseRecovery = wedgedErase.recover();
        b.clearStatusOnlyInError = clearStatusOnlyInError;
        b.wedgedEraseFrom = wedgedErase.from();
        b.wedgedEraseHint = wedgedErase.hint();
        b.statusHeldWhileBusy = statusHeldWhileBusy;
        return b;
    }

    /** The transfer size to use given what the descriptor reports. */
    public int effectiveTransferSize(int reported) {
        return maxTransferSize.isPresent() && (reported == 0 || reported > maxTransferSize.getAsInt())
                ? maxTransferSize.getAsInt() : reported;
    }

    /** True when a sector erase at {@code address} is in the range the wedge quirk applies to. */
    public boolean inWedgeRange(long address) {
        return address >= wedgedErase.from();
    }

    /** Builder; every setting starts at its {@link #defaults()} value. */
    public static final class Builder {
        private Duration controlTimeout = Duration.ofSeconds(5);
        private Duration commandBudget = Duration.ofSeconds(5);
        private Duration writeBudget = Duration.ofSeconds(5);
        private Duration eraseBudget = Duration.ofSeconds(20);
        private Duration massEraseBudget = Duration.ofSeconds(40);
        private Duration manifestBudget = Duration.ofSeconds(5);
        private int busyRetries = 3;
        private boolean statusStallsWhileBusy;
        private boolean deviceMaySkipBusy = true;
        private boolean ignoreSetAddressPollTimeout = true;
        private boolean setAddressBeforeLeave;
        private OptionalInt maxTransferSize = OptionalInt.empty();
        private boolean wedgedEraseRecovery;
        private boolean clearStatusOnlyInError = true;
        private long wedgedEraseFrom;
        private String wedgedEraseHint = "";
        private boolean statusHeldWhileBusy;

        private Builder() {
        }

        /** USB timeout of an ordinary control transfer (default 5 s); must be positive, checked by {@link #build()}. */
        public Builder controlTimeout(Duration v) { controlTimeout = v; return this; }
        /** How long a SET_ADDRESS or other DfuSe command may keep the device busy (default 5 s; positive). */
        public Builder commandBudget(Duration v) { commandBudget = v; return this; }
        /** How long one data block may keep the device busy (default 5 s; positive). */
        public Builder writeBudget(Duration v) { writeBudget = v; return this; }
        /** Minimum busy budget of one page/sector erase (default 20 s; positive). */
        public Builder eraseBudget(Duration v) { eraseBudget = v; return this; }
        /** Minimum busy budget of a mass erase, whatever the device reports (default 40 s; positive). */
        public Builder massEraseBudget(Duration v) { massEraseBudget = v; return this; }
        /** How long manifestation or a leave may keep the device busy (default 5 s; positive). */
        public Builder manifestBudget(Duration v) { manifestBudget = v; return this; }
        /** Consecutive stalled or timed-out GETSTATUS requests retried while an operation runs (default 3; not negative). */
        public Builder busyRetries(int v) { busyRetries = v; return this; }
        /** The device stalls GETSTATUS while erasing: stalls are retried for the whole budget (default false). */
        public Builder statusStallsWhileBusy(boolean v) { statusStallsWhileBusy = v; return this; }
        /** The first GETSTATUS after a command may already report dfuDNLOAD-IDLE (default true; false makes it an error). */
        public Builder deviceMaySkipBusy(boolean v) { deviceMaySkipBusy = v; return this; }
        /** Poll at once after SET_ADDRESS instead of waiting its bwPollTimeout, which ST ROMs report wrongly (default true). */
        public Builder ignoreSetAddressPollTimeout(boolean v) { ignoreSetAddressPollTimeout = v; return this; }
        /** Send a SET_ADDRESS before leaving even without a jump address (default false; STM32C071 needs it). */
        public Builder setAddressBeforeLeave(boolean v) { setAddressBeforeLeave = v; return this; }
        /** Caps wTransferSize at {@code v} bytes, 1 to 65535 (checked by {@link #build()}); default: no cap. */
        public Builder maxTransferSize(int v) { maxTransferSize = OptionalInt.of(v); return this; }
        /** Removes the wTransferSize cap: the descriptor's value is used as reported (the default). */
        public Builder noMaxTransferSize() { maxTransferSize = OptionalInt.empty(); return this; }
        /**
         * Recover a wedged erase with CLRSTATUS, CLRSTATUS (default false); {@link #build()} refuses it together with
         * {@code clearStatusOnlyInError(true)}.
         */
        public Builder wedgedEraseRecovery(boolean v) { wedgedEraseRecovery = v; return this; }
        /** Never send CLRSTATUS outside dfuERROR (default true); set false before {@code wedgedEraseRecovery(true)}. */
        public Builder clearStatusOnlyInError(boolean v) { clearStatusOnlyInError = v; return this; }
        /** Lowest sector-erase address the wedge quirk applies to, a 32-bit address (default 0: every sector erase). */
        public Builder wedgedEraseFrom(long v) { wedgedEraseFrom = v; return this; }
        /** What to tell the user when a wedged erase times out or cannot be recovered; not null (default empty: no hint). */
        public Builder wedgedEraseHint(String v) { wedgedEraseHint = v; return this; }
        /**
         * The device holds every request while its flash is busy: a dfuDNBUSY reply is polled again at once (default
         * false).
         */
        public Builder statusHeldWhileBusy(boolean v) { statusHeldWhileBusy = v; return this; }

        /**
         * The quirks as set. The wedge settings become {@link WedgedErase#NONE} when recovery is off, the hint empty
         * and the start address 0.
         *
         * @throws NullPointerException     if a duration or the hint was set to null
         * @throws IllegalArgumentException if a budget is not positive, {@code busyRetries} is negative, the transfer
         *                                  cap is outside 1..65535, {@code wedgedEraseFrom} is not a 32-bit address, or
         *                                  wedge recovery is on while {@code clearStatusOnlyInError} is too
         */
        public DfuQuirks build() {
            return new DfuQuirks(new Budgets(controlTimeout, commandBudget, writeBudget, eraseBudget, massEraseBudget,
                    manifestBudget), busyRetries, statusStallsWhileBusy, deviceMaySkipBusy, ignoreSetAddressPollTimeout,
                    setAddressBeforeLeave, maxTransferSize,
                    wedgedEraseRecovery || !wedgedEraseHint.isEmpty() || wedgedEraseFrom != 0
                            ? new WedgedErase(wedgedEraseRecovery, wedgedEraseFrom, wedgedEraseHint) : WedgedErase.NONE,
                    clearStatusOnlyInError, statusHeldWhileBusy);
        }
    }
}
