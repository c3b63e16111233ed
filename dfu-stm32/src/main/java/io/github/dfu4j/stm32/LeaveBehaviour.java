package io.github.dfu4j.stm32;

/**
 * What a bootloader does with the address pointer when it leaves DFU (docs/reference/dfu.md §2.5, docs/reference/mboot.md §5.3).
 */
public enum LeaveBehaviour {
    /**
     * F0/F4/F7 ROMs: the address is a vector table; the ROM loads the initial stack pointer from
     * word 0 and jumps to the reset vector in word 1. Give it the application's base address.
     */
    VECTOR_TABLE,
    /**
     * H7 ROMs: the ROM branches to the address itself, so it must be the application's reset
     * handler (word 1 of its vector table), not the vector table.
     */
    RESET_HANDLER,
    /** MicroPython mboot: ignores the address, resets, and boots the application at its fixed base. */
    RESET
}
