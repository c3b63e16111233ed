package io.github.dfu4j.stm32.internal;


import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A board running MicroPython's mboot DFU bootloader (docs/reference/mboot.md §5).
 *
 * @param id               dfu4j key, e.g. "mboot-pybd-sf2"
 * @param board            board name, e.g. "PYBD-SF2 (STM32F722IEK)"
 * @param chip             the MCU's profile (flash sectors, timing, RAM)
 * @param usb              mboot's USB identity ("MicroPython" / "Pyboard DFU", bcdDevice 0x0300)
 * @param layout           the single interface string, all zones
 * @param transferSize     wTransferSize and the fixed block-address multiplier (2048)
 * @param internalFlashEnd end of mboot's internal sector table; addresses above fail with errADDRESS
 *                         even where the layout string advertises flash
 * @param appBase          where the application starts; [flash base, appBase) is mboot itself
 * @param spiFlash         external flashes reachable through the layout's other zones
 * @param strings          vendor error strings by index (0x10 "Can't overwrite mboot", 0x11 "Address out of range")
 */
public record MbootBoard(String id, String board, ChipProfile chip, UsbIdentity usb, String layout, int transferSize,
                         long internalFlashEnd, long appBase, List<SpiFlash> spiFlash, Map<Integer, String> strings) {
    public static final int STRING_CANT_OVERWRITE_MBOOT = 0x10;
    public static final int STRING_ADDRESS_OUT_OF_RANGE = 0x11;
    public static final Map<Integer, String> ERROR_STRINGS = Map.of(
            STRING_CANT_OVERWRITE_MBOOT, "Can't overwrite mboot",
            STRING_ADDRESS_OUT_OF_RANGE, "Address out of range");

    public MbootBoard {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(usb, "usb");
        Objects.requireNonNull(layout, "layout");
        spiFlash = List.copyOf(spiFlash);
        strings = Map.copyOf(strings);
    }

    /** mboot's own code: [flash base, appBase), which erase and write refuse with iString 0x10. */
    public MemoryArea mbootArea() {
        long base = chip.defaultFlashMap().base();
        return new MemoryArea("mboot", base, appBase - base);
    }
}
