package io.github.dfu4j.stm32.internal;


import io.github.dfu4j.stm32.Evidence;

import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.ops.LeaveMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything dfu4j knows about one STM32 line and its ROM DfuSe bootloader, as data. Values carry
 * {@link Evidence}; see {@link Stm32Profiles} for the table and the fact-sheet sources.
 *
 * @param id            dfu4j's key, e.g. "stm32f405" (also the simulator personality id)
 * @param line          the parts it covers, e.g. "STM32F405/F407/F415/F417"
 * @param deviceId      DBGMCU DEV_ID (docs/reference/stm32.md §3.1)
 * @param bootloaderIds bootloader version bytes reported for the line (AN2606 table via stm32loader, field logs)
 * @param flashMaps     the flash configurations; the first is the factory default
 * @param ram           RAM blocks, used to judge whether a vector table's initial stack pointer is plausible
 * @param programming   programming unit and overwrite behaviour
 * @param optionBytes   option-byte memory
 * @param timing        erase/program times
 * @param rom           the ROM bootloader's USB DFU facts
 * @param leave         how the ROM uses the address pointer when leaving
 * @param quirks        documented deviations of this ROM
 */
public record ChipProfile(String id, String line, int deviceId, List<Integer> bootloaderIds, List<FlashMap> flashMaps,
                          List<MemoryArea> ram, Programming programming, OptionBytes optionBytes, FlashTiming timing,
                          DfuRom rom, LeaveMode leave, Set<RomQuirk> quirks) {
    public ChipProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(line, "line");
        bootloaderIds = List.copyOf(bootloaderIds);
        flashMaps = List.copyOf(flashMaps);
        ram = List.copyOf(ram);
        Objects.requireNonNull(programming, "programming");
        Objects.requireNonNull(optionBytes, "optionBytes");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(rom, "rom");
        Objects.requireNonNull(leave, "leave");
        quirks = quirks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(quirks));
        if (flashMaps.isEmpty()) {
            throw new IllegalArgumentException(id + ": no flash map");
        }
    }

    /** The factory-default flash configuration. */
    public FlashMap defaultFlashMap() {
        return flashMaps.get(0);
    }

    /** The flash configuration with the given {@link FlashMap#mode() mode} key. */
    public Optional<FlashMap> flashMap(String mode) {
        return flashMaps.stream().filter(m -> m.mode().equals(mode)).findFirst();
    }

    /** All alt settings the ROM reports in the given flash configuration: alt 0 internal flash, then the rest. */
    public List<RomAltSetting> altSettings(FlashMap map) {
        List<RomAltSetting> out = new ArrayList<>();
        out.add(new RomAltSetting(MemoryKind.INTERNAL_FLASH, map.romLayout(), map.evidence()));
        out.addAll(rom.extraAltSettings());
        return List.copyOf(out);
    }

    public boolean has(RomQuirk quirk) {
        return quirks.contains(quirk);
    }

    /** True when {@code address} lies in one of the RAM blocks or is one past the end of one (an initial SP). */
    public boolean isStackPointerInRam(long address) {
        for (MemoryArea r : ram) {
            if (address > r.address() && address <= r.end()) {
                return true;
            }
        }
        return false;
    }
}
