package io.github.dfu4j.ops;

/** What a bootloader does with the address pointer when it leaves DFU mode. */
public enum LeaveMode {
    /**
     * It treats the address as a vector table: loads SP from word 0 and jumps to word 1 (STM32F4-class
     * ROMs). The leave address is the image's lowest flash address.
     */
    VECTOR_TABLE,
    /**
     * It branches to the address itself (STM32H7 ROMs): the leave address must be the application's
     * reset handler, e.g. 0x0800BA65, not the table base 0x08000000.
     */
    RESET_HANDLER,
    /** It resets and boots normally, ignoring the address (MicroPython mboot). */
    IGNORED_RESETS
}
