package io.github.dfu4j.stm32.internal;

/** What memory an alt setting of a DfuSe bootloader reaches. */
public enum MemoryKind {
    /** On-chip flash: sector erase, NOR programming. */
    INTERNAL_FLASH,
    /** Option bytes (F0/F4/F7 memory) or the H7 option register window; writing them resets the chip. */
    OPTION_BYTES,
    /** One-time-programmable area: bits can be cleared, never erased. */
    OTP,
    /** F4/F7 "Device Feature" area at 0xFFFF0000; behaviour unknown, simulated as plain read/write bytes. */
    DEVICE_FEATURE,
    /** External SPI/QSPI NOR flash reached through mboot's virtual addresses. */
    SPI_FLASH
}
