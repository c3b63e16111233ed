package io.github.dfu4j.sim;

import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.internal.MemoryArea;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.OptionBytes;
import io.github.dfu4j.stm32.internal.RomAltSetting;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.optionbytes.BootTarget;
import io.github.dfu4j.stm32.optionbytes.OptionByteFormatException;
import io.github.dfu4j.stm32.optionbytes.OptionByteImage;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayout;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayouts;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chip side of an ST ROM personality ({@link StRomBootloader} has the DFU state machine and the command
 * execution): the option bytes and their factory image, the flash map the ROM runs with (F76x nDBANK),
 * read protection, the boot selection after a reset or a leave (BOOT0, BOOT_SEL/nBOOT0/BOOT_ADDx), and the
 * ROM quirks of the profile and the options. Split from StRomBootloader; the behaviour is the same
 * (GoldenSequenceTest).
 */
abstract class StRomChip extends SimBootloader {
    /**
     * The option-byte field that selects the flash map at reset, and the {@link FlashMap#mode()} each
     * value selects: F76x FLASH_OPTCR nDBANK (bit 29), 1 = single bank (factory), 0 = dual bank
     * (docs/reference/stm32.md §3.3, §4.1, §4.4 [V] R12). Chips without the field keep the map they were made with.
     */
    static final String BANK_MODE_FIELD = "nDBANK";
    static final Map<Long, String> BANK_MODES = Map.of(0L, "dual", 1L, "single");

    /** The map the ROM runs with: chosen at creation, then by {@link #BANK_MODE_FIELD} at every reset. */
    FlashMap flashMap;
    final OptionBytes optionBytes;
    /** The option-byte codec of the chip (boot selection from BOOT_SEL/nBOOT0/BOOT_ADDx), or null. */
    final OptionByteLayout optionLayout;

    StRomChip(Personality p, SimOptions o, SimClock clock, FlashMap map, List<List<Region>> altRegions,
              List<String> altStrings) {
        super(p, o, clock, altRegions, altStrings, o.transferSize().orElse(p.chip().rom().transferSize()), Map.of(), false);
        this.flashMap = map;
        this.optionBytes = p.chip().optionBytes();
        this.optionLayout = OptionByteLayouts.forChip(p.chip().id()).orElse(null);
        OptionByteImage factory = optionLayout != null ? factoryImage(optionLayout, map) : null;
        for (Region r : regions) {
            if (r.kind == MemoryKind.OPTION_BYTES) {
                List<MemoryArea> blocks = optionBytes.blocks();
                for (int i = 0; i < blocks.size(); i++) {
                    if (blocks.get(i).address() == r.base) {
                        // the codec's factory image: the profile's bytes plus reference-manual boot addresses (F7/H7)
                        r.write(r.base, factory != null ? factory.block(i) : optionBytes.defaults(i));
                    }
                }
            }
        }
        if (o.readProtected()) {
            optionRegion().write(optionBytes.address() + optionBytes.rdpOffset(), new byte[] {(byte) 0xBB});
        }
    }

    /**
     * The codec's factory image with the bank-mode bit matching the simulated flash map: an F76x built
     * with {@code withFlashMode("dual")} reads nDBANK=0, as the chip that has that map would. Writing
     * nDBANK later switches the map at the reset that follows ({@link #optionBytesLoaded}).
     */
    private static OptionByteImage factoryImage(OptionByteLayout layout, FlashMap map) {
        OptionByteImage f = layout.factoryDefaults();
        if (layout.field(BANK_MODE_FIELD).isEmpty()) {
            return f;
        }
        long value = BANK_MODES.entrySet().stream().filter(e -> e.getValue().equals(map.mode())).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + BANK_MODE_FIELD + " value selects the "
                        + map.mode() + " map"));
        return layout.encode(f, Map.of(BANK_MODE_FIELD, value));
    }

    @Override
    String flashMode() {
        return flashMap.mode();
    }

    /**
     * The ROM comes up with the sector map nDBANK selects, and enumerates with that map's layout string
     * (docs/reference/stm32.md §4.1: 2 MB F76x single bank 4x32K,1x128K,7x256K; dual bank 4x16K,1x64K,7x128K at
     * 0x08000000 and again at 0x08100000, sectors 12-23). What a bank-mode change does to the flash
     * contents is not in docs/reference [U]: in single-bank mode the two physical banks are read as one
     * wider array, so a byte need not stay at its address; the simulator takes the conservative view and
     * erases the whole main flash when the map changes (the option-byte codec already tells users to
     * erase after changing nDBANK).
     */
    @Override
    void optionBytesLoaded(boolean eraseOnChange) {
        if (optionLayout == null || optionLayout.field(BANK_MODE_FIELD).isEmpty()) {
            return;
        }
        String mode = BANK_MODES.get(optionReport().value(BANK_MODE_FIELD));
        if (mode == null || mode.equals(flashMap.mode())) {
            return;
        }
        FlashMap next = chip.flashMap(mode).orElseThrow(() -> new IllegalStateException(
                chip.id() + ": " + BANK_MODE_FIELD + " selects a '" + mode + "' flash map the profile does not have"));
        if (next.base() != flash.base || next.size() != flash.size) {
            // the region (and a state file's region table) keeps its extent; only the sectors change
            throw new IllegalStateException(chip.id() + ": the " + mode + " flash map does not cover the same range");
        }
        flash.resector(next.sectors());
        replaceAltStrings(chip.altSettings(next).stream().map(RomAltSetting::layout).toList());
        flashMap = next;
        if (eraseOnChange) {
            eraseAllFlash();
        }
    }

    boolean quirk(RomQuirk q) {
        if (q == RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN && quirk(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR)) {
            return false; // a C5-like ROM stalls CLRSTATUS instead
        }
        return (chip.has(q) || options.addedQuirks().contains(q)) && !options.disabledQuirks().contains(q);
    }

    Region optionRegion() {
        return anyRegion(optionBytes.address(), 1).orElseThrow();
    }

    int rdpLevel() {
        return OptionBytes.rdpLevel(optionRegion().read(optionBytes.address() + optionBytes.rdpOffset(), 1)[0]);
    }

    void eraseAllFlash() {
        flash.erase(flash.base, flash.size);
    }

    Boot leaveBoot(long address) {
        Optional<Boot> selected = bootSelection("leave");
        if (selected.isPresent()) {
            return selected.get();
        }
        String how = String.format("leave with address 0x%08x", address);
        Optional<RunningApplication> a = switch (chip.leave()) {
            case VECTOR_TABLE -> vectorTableAt(address, how + " (vector table)");
            case RESET_HANDLER -> resetHandlerAt(address, how + " (reset handler)");
            case IGNORED_RESETS -> vectorTableAt(flash.base, how + " (reset)");
        };
        return a.map(app -> new Boot(app, how)).orElseGet(() -> Boot.dfu(String.format(
                "no application at 0x%08x for a %s jump", address, chip.leave())));
    }

    /**
     * H7 ROMs branch to the address itself. It starts the application when it is the reset handler
     * of a valid vector table at the start of a flash sector; with or without the Thumb bit, since the
     * ROM's branch sets Thumb state either way [U].
     */
    private Optional<RunningApplication> resetHandlerAt(long address, String how) {
        for (Sector s : flash.sectors) {
            Optional<RunningApplication> vt = vectorTableAt(s.start(), how);
            if (vt.isPresent() && (vt.get().entryPoint() & ~1L) == (address & ~1L)) {
                return vt;
            }
        }
        return Optional.empty();
    }

    /**
     * What the pin and the option bytes select, when it is not main flash (F0 ROM leave goes through
     * a reset, docs/reference/dfu.md §2.5 / docs/troubleshooting.md 004: with BOOT_SEL=0 and nBOOT0=0 the chip comes back in DFU
     * mode whatever the pin). Empty: boot main flash.
     */
    private Optional<Boot> bootSelection(String why) {
        BootTarget target = bootTarget();
        return switch (target) {
            case MAIN_FLASH -> Optional.empty();
            case SYSTEM_MEMORY -> Optional.of(Boot.dfu(why + ": " + bootExplanation()));
            // the chip runs whatever is there: off the bus, neither DFU nor the application in flash
            default -> Optional.of(new Boot(new RunningApplication(0, 0, why + ": booted " + target.description()
                    + ", not the application (" + bootExplanation() + ")"), why));
        };
    }

    private OptionByteReport optionReport() {
        List<byte[]> blocks = new java.util.ArrayList<>();
        for (io.github.dfu4j.stm32.optionbytes.OptionByteLayout.Block b : optionLayout.blocks()) {
            blocks.add(anyRegion(b.address(), b.size()).orElseThrow().read(b.address(), (int) b.size()));
        }
        try {
            return optionLayout.decode(OptionByteImage.of(blocks), personality.id() + " option bytes");
        } catch (OptionByteFormatException e) {
            throw new IllegalStateException(e.getMessage(), e); // the regions are made from the same blocks
        }
    }

    /** What the chip boots from: the BOOT0 pin through the chip's boot model (pin only without a codec). */
    BootTarget bootTarget() {
        if (optionLayout == null) {
            return options.boot0High() ? BootTarget.SYSTEM_MEMORY : BootTarget.MAIN_FLASH;
        }
        return optionLayout.bootTarget(optionReport(), options.boot0High());
    }

    private String bootExplanation() {
        return optionLayout == null ? "BOOT0 pin " + (options.boot0High() ? "high" : "low")
                : optionLayout.bootExplanation(optionReport(), options.boot0High());
    }

    @Override
    Boot bootAfterReset(String why) {
        Optional<Boot> selected = bootSelection(why);
        if (selected.isPresent()) {
            return selected.get();
        }
        return vectorTableAt(flash.base, why + ", booted from flash")
                .map(a -> new Boot(a, why))
                .orElseGet(() -> Boot.dfu(why + ", no application at the flash base"));
    }
}
