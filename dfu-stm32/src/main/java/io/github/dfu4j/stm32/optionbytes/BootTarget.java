package io.github.dfu4j.stm32.optionbytes;

/** What the chip starts after a reset, as the boot pins and option bytes select it. */
public enum BootTarget {
    /** The user flash: the application. */
    MAIN_FLASH("main flash (the application)"),
    /** The system memory: the ST ROM bootloader, i.e. this DFU device. */
    SYSTEM_MEMORY("system memory (the ST ROM bootloader, DFU mode)"),
    /** Embedded SRAM: whatever is in RAM (after a reset: nothing useful). */
    EMBEDDED_SRAM("embedded SRAM"),
    /** A boot address that is neither flash, ROM nor SRAM. */
    OTHER("an address that is neither flash, the ROM nor SRAM");

    private final String description;

    BootTarget(String description) {
        this.description = description;
    }

    /** A short English phrase for messages and reports, e.g. {@code "main flash (the application)"}; never null. */
    public String description() {
        return description;
    }
}
