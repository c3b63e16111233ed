package io.github.dfu4j.ops;

/**
 * An explicit permission a risky write needs from the caller. The write gate (every erase, write,
 * mass erase, option-byte and OTP write and READ_UNPROTECT passes through it before any request is
 * sent) refuses with {@link WriteRefusedException} naming the confirmations that were missing. A
 * command-line tool maps each constant to one flag of its own; the library never names flags.
 *
 * <pre>{@code
 * FlashOptions o = FlashOptions.builder().confirm(Confirmation.OTP_WRITE).build();
 * }</pre>
 */
public enum Confirmation {
    /** Write or erase outside the memory layout, or into sectors the layout does not mark writable/erasable. */
    OUTSIDE_LAYOUT,
    /** Write option bytes whose byte layout is unverified or unknown: a wrong layout writes wrong bits. */
    UNVERIFIED_LAYOUT,
    /** Write a boot selection that stops the chip from starting the application, or BOOT0 from reaching the ROM. */
    BOOT_LOCK,
    /** Erase the whole flash: read protection level 1 to 0, or READ_UNPROTECT. */
    MASS_ERASE,
    /** Turn read protection on (level 0 to 1): undoing it later erases the whole flash. */
    READ_PROTECTION_ON,
    /** Read protection level 2: permanent, can never be undone. */
    IRREVERSIBLE_RDP_LEVEL_2,
    /** Write one-time-programmable memory: permanent, can never be erased. */
    OTP_WRITE,
    /** Flash a file whose DFU suffix names another USB vendor/product ID than the device's. */
    OTHER_DEVICE,
    /**
     * The caller expects the write to make the device reset (a raw option-byte or configuration write the
     * profile does not know resets it; dfu-util's {@code :will-reset}): the image is written as one range,
     * after every other write, and the device leaving the bus then is its expected end, reported in
     * {@link FlashResult#resetBy()}. It still passes every other check of the gate.
     */
    DEVICE_RESET
}
