package io.github.dfu4j.ops;

/**
 * How DfuSe data blocks are addressed ({@link FlashOptions.Builder#addressing}). The device writes block {@code n} at
 * {@code pointer + (n - 2) * wTransferSize} (AN3156).
 */
public enum AddressingMode {
    /**
     * {@link #BLOCK_NUMBER}, and if verification finds the device wrote somewhere else, erase and
     * write again with {@link #SET_ADDRESS_PER_BLOCK}. The default.
     */
    AUTO,
    /** One SET_ADDRESS per contiguous run, then blocks 2, 3, 4, ... (fwupd, betaflight): fewest requests. */
    BLOCK_NUMBER,
    /** SET_ADDRESS before every block, always block 2 (dfu-util, pydfu): works on devices that mis-address. */
    SET_ADDRESS_PER_BLOCK
}
