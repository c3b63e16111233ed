package io.github.dfu4j.stm32.optionbytes;

import static io.github.dfu4j.stm32.Evidence.OBSERVED;
import static io.github.dfu4j.stm32.Evidence.UNVERIFIED;
import static io.github.dfu4j.stm32.Evidence.VERIFIED;
import static io.github.dfu4j.stm32.optionbytes.FieldLocation.bits;
import static io.github.dfu4j.stm32.optionbytes.FieldLocation.wholeByte;

import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.Evidence;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.internal.RomAltSetting;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.stm32.optionbytes.BootModel.AddressRange;
import io.github.dfu4j.stm32.optionbytes.BootModel.BootRow;
import io.github.dfu4j.stm32.optionbytes.BootModel.Pin;
import io.github.dfu4j.transport.AltSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The option-byte table: one {@link OptionByteLayout} per chip line of {@link Stm32Profiles}.
 * Field names, bit positions and value meanings are those of the reference manuals as ST's CMSIS
 * headers and HAL encode them (docs/reference/stm32.md §4.4, [V] R12/R13). Where docs/reference marks the byte
 * order inside the ROM's option-byte block as unverified (F4, F7) or the whole window as
 * unverified (H7), the layout carries {@link Evidence#UNVERIFIED} and writes need an override.
 *
 * <pre>{@code
 * OptionByteLayout f4 = OptionByteLayouts.forChip("stm32f405").orElseThrow();
 * Optional<OptionByteLayout> l = OptionByteLayouts.forAltSettings(device.altSettings());
 * }</pre>
 */
public final class OptionByteLayouts {
    private OptionByteLayouts() {
    }

    private static NamedValue v(long value, String name, String meaning) {
        return new NamedValue(value, name, meaning);
    }

    private static OptionByteField field(String name, String description, FieldLocation at, FieldKind kind,
                                         List<NamedValue> values, Evidence evidence, String note) {
        return new OptionByteField(name, description, at, kind, values, 0, evidence, note);
    }

    private static OptionByteField flag(String name, String description, FieldLocation at, NamedValue zero, NamedValue one,
                                        Evidence evidence, String note) {
        return field(name, description, at, FieldKind.FLAG, List.of(zero, one), evidence, note);
    }

    /** RDP with HAL's canonical level bytes; {@code level1} is the HAL example value of the family. */
    private static OptionByteField rdp(FieldLocation at, int level1, Evidence evidence) {
        return field("RDP", "read-out protection level", at, FieldKind.READ_PROTECTION, List.of(
                v(ReadProtection.LEVEL_0_BYTE, "LEVEL0", "no read protection"),
                v(level1, "LEVEL1", "read protection; back to level 0 only with a mass erase"),
                v(ReadProtection.LEVEL_2_BYTE, "LEVEL2", "permanent protection (irreversible)")), evidence, "");
    }

    private static OptionByteField wrp(String name, String description, FieldLocation at, Evidence evidence, String note) {
        return field(name, description, at, FieldKind.WRITE_PROTECTION, List.of(), evidence, note);
    }

    private static OptionByteField bootAddress(String name, String description, FieldLocation at, int shift, Evidence e, String note) {
        return new OptionByteField(name, description, at, FieldKind.BOOT_ADDRESS, List.of(), shift, e, note);
    }

    private static List<OptionByteLayout.Block> blocksOf(ChipProfile chip) {
        return chip.optionBytes().blocks().stream().map(a -> new OptionByteLayout.Block(a.name(), a.address(), a.size())).toList();
    }

    /** The profile's factory bytes with some fields set to their reference-manual defaults. */
    private static OptionByteImage factory(ChipProfile chip, List<OptionByteField> fields, List<ComplementPair> complements,
                                           Map<String, Long> overrides) {
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < chip.optionBytes().blocks().size(); i++) {
            blocks.add(chip.optionBytes().defaults(i));
        }
        for (Map.Entry<String, Long> e : overrides.entrySet()) {
            OptionByteField f = fields.stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElseThrow();
            f.location().write(blocks.get(f.location().block()), e.getValue());
        }
        for (ComplementPair c : complements) {
            blocks.get(c.block())[c.complementOffset()] = (byte) ~blocks.get(c.block())[c.valueOffset()];
        }
        return OptionByteImage.of(blocks);
    }

    // ---- STM32F0 (RM0091; OB_TypeDef: 8 half-words of value + complement) ---------------------------------

    private static final String F0_BOOT_NOTE = "defined for F04x/F09x in CMSIS (absent from the F07x header, docs/reference/stm32.md §3.3); "
            + "docs/troubleshooting.md 004 reports BOOT_SEL on an F072CB, so dfu4j treats it as live on every F0";

    private static List<OptionByteField> f0Fields() {
        int user = 2;
        return List.of(
                rdp(wholeByte(0), 0xBB, VERIFIED),
                flag("WDG_SW", "independent watchdog start", bits(user, 0, 1),
                        v(0, "HARDWARE", "IWDG started by hardware at reset"), v(1, "SOFTWARE", "IWDG started by software"), VERIFIED, ""),
                flag("nRST_STOP", "reset on entering Stop mode", bits(user, 1, 1),
                        v(0, "RESET", "reset when entering Stop mode"), v(1, "NO_RESET", "no reset when entering Stop mode"), VERIFIED, ""),
                flag("nRST_STDBY", "reset on entering Standby mode", bits(user, 2, 1),
                        v(0, "RESET", "reset when entering Standby mode"), v(1, "NO_RESET", "no reset when entering Standby mode"),
                        VERIFIED, ""),
                flag("nBOOT0", "BOOT0 value used instead of the pin when BOOT_SEL=0", bits(user, 3, 1),
                        v(0, "BOOT0_HIGH", "with BOOT_SEL=0: boots as if BOOT0 were high (system memory or SRAM, per nBOOT1)"),
                        v(1, "BOOT0_LOW", "with BOOT_SEL=0: boots main flash"), OBSERVED, F0_BOOT_NOTE),
                flag("nBOOT1", "with BOOT0 high: system memory or SRAM", bits(user, 4, 1),
                        v(0, "SRAM", "with BOOT0 high: boots embedded SRAM"),
                        v(1, "SYSTEM", "with BOOT0 high: boots system memory (the ROM bootloader)"), VERIFIED, ""),
                flag("VDDA_MONITOR", "VDDA power supply supervisor", bits(user, 5, 1),
                        v(0, "OFF", "VDDA supervisor off"), v(1, "ON", "VDDA supervisor on"), VERIFIED, ""),
                flag("RAM_PARITY_CHECK", "SRAM parity check", bits(user, 6, 1),
                        v(0, "ENABLED", "SRAM parity check enabled"), v(1, "DISABLED", "SRAM parity check disabled"), VERIFIED, ""),
                flag("BOOT_SEL", "what selects the boot mode: the BOOT0 pin or the nBOOT0 bit", bits(user, 7, 1),
                        v(0, "NBOOT0_BIT", "the nBOOT0 option bit replaces the BOOT0 pin"),
                        v(1, "BOOT0_PIN", "the BOOT0 pin selects the boot mode"), OBSERVED, F0_BOOT_NOTE),
                field("DATA0", "user data byte 0", wholeByte(4), FieldKind.USER_DATA, List.of(), VERIFIED, ""),
                field("DATA1", "user data byte 1", wholeByte(6), FieldKind.USER_DATA, List.of(), VERIFIED, ""),
                wrp("WRP0", "write protection, bit n: pages of the n-th 4 KB (F07x) group, 0 = protected", wholeByte(8), VERIFIED, ""),
                wrp("WRP1", "write protection of the next 8 groups", wholeByte(10), VERIFIED, ""),
                wrp("WRP2", "write protection of the next 8 groups", wholeByte(12), VERIFIED, ""),
                wrp("WRP3", "write protection of the last 8 groups", wholeByte(14), VERIFIED, ""));
    }

    private static List<ComplementPair> f0Complements() {
        List<ComplementPair> out = new ArrayList<>();
        for (int i = 0; i < 16; i += 2) {
            out.add(new ComplementPair(0, i, i + 1));
        }
        return out;
    }

    /**
     * RM0091 boot-mode table: with BOOT_SEL=1 the pin decides (nBOOT1 picks ROM or SRAM for a high
     * pin); with BOOT_SEL=0 the nBOOT0 bit replaces the pin. docs/reference/stm32.md §3.3 tags the BOOT_SEL
     * semantics [U] (RM0091 not read; the STM32C0 table is analogous); docs/troubleshooting.md 004 matches it.
     */
    private static final BootModel F0_BOOT = new BootModel.SelectionTable(List.of(
            new BootRow(Pin.LOW, Map.of("BOOT_SEL", 1L), BootTarget.MAIN_FLASH),
            new BootRow(Pin.HIGH, Map.of("BOOT_SEL", 1L, "nBOOT1", 1L), BootTarget.SYSTEM_MEMORY),
            new BootRow(Pin.HIGH, Map.of("BOOT_SEL", 1L, "nBOOT1", 0L), BootTarget.EMBEDDED_SRAM),
            new BootRow(Pin.ANY, Map.of("BOOT_SEL", 0L, "nBOOT0", 1L), BootTarget.MAIN_FLASH),
            new BootRow(Pin.ANY, Map.of("BOOT_SEL", 0L, "nBOOT0", 0L, "nBOOT1", 1L), BootTarget.SYSTEM_MEMORY),
            new BootRow(Pin.ANY, Map.of("BOOT_SEL", 0L, "nBOOT0", 0L, "nBOOT1", 0L), BootTarget.EMBEDDED_SRAM)),
            UNVERIFIED, "RM0091 boot modes (docs/reference/stm32.md §3.3 [U]; STM32C0 table analogous; docs/troubleshooting.md 004 agrees)");

    private static OptionByteLayout f0(ChipProfile chip) {
        List<OptionByteField> fields = f0Fields();
        List<ComplementPair> complements = f0Complements();
        return new OptionByteLayout(chip.id(), "STM32F0", blocksOf(chip), fields, complements,
                factory(chip, fields, complements, Map.of()), VERIFIED,
                "16 bytes at 0x1FFFF800: RDP, USER, DATA0, DATA1, WRP0-3, each followed by its complement "
                        + "(CMSIS OB_TypeDef [V]); BOOT_SEL/nBOOT0 semantics [U]", F0_BOOT);
    }

    // ---- STM32F4 (RM0090/RM0390; FLASH_OPTCR bits, 16-byte block) -----------------------------------------

    private static final String F4_LAYOUT_NOTE = "FLASH_OPTCR bit positions [V] (CMSIS); their place in the 16-byte block "
            + "(USER at +0, RDP at +1, nWRP half-word at +8, as in RM0090's option-byte table) is not checked on hardware [U]";

    private static List<NamedValue> f4BorLevels() {
        return List.of(v(0, "LEVEL3", "brown-out reset at about 2.70 V"), v(1, "LEVEL2", "brown-out reset at about 2.40 V"),
                v(2, "LEVEL1", "brown-out reset at about 2.10 V"), v(3, "OFF", "brown-out reset off (POR/PDR only)"));
    }

    private static List<OptionByteField> f4Fields(int sectors, boolean dualBankBits, boolean sprmod) {
        List<OptionByteField> f = new ArrayList<>();
        f.add(field("BOR_LEV", "brown-out reset threshold", bits(0, 2, 2), FieldKind.CHOICE, f4BorLevels(), UNVERIFIED, ""));
        if (dualBankBits) {
            f.add(flag("BFB2", "dual-bank boot", bits(0, 4, 1), v(0, "OFF", "boot from bank 1"),
                    v(1, "ON", "the ROM boots bank 2 if it holds a valid application"), UNVERIFIED, "F42x/F43x only"));
        }
        f.add(flag("WDG_SW", "independent watchdog start", bits(0, 5, 1),
                v(0, "HARDWARE", "IWDG started by hardware at reset"), v(1, "SOFTWARE", "IWDG started by software"), UNVERIFIED, ""));
        f.add(flag("nRST_STOP", "reset on entering Stop mode", bits(0, 6, 1),
                v(0, "RESET", "reset when entering Stop mode"), v(1, "NO_RESET", "no reset when entering Stop mode"), UNVERIFIED, ""));
        f.add(flag("nRST_STDBY", "reset on entering Standby mode", bits(0, 7, 1),
                v(0, "RESET", "reset when entering Standby mode"), v(1, "NO_RESET", "no reset when entering Standby mode"),
                UNVERIFIED, ""));
        f.add(rdp(wholeByte(1), 0x55, UNVERIFIED));
        f.add(wrp("nWRP", "write protection of sectors 0-" + (sectors - 1) + ", bit n = sector n, 0 = protected",
                bits(8, 0, sectors), UNVERIFIED, ""));
        if (dualBankBits) {
            f.add(flag("DB1M", "dual-bank mode of 1 MB parts", bits(8, 14, 1), v(0, "SINGLE_BANK", "1 MB single bank"),
                    v(1, "DUAL_BANK", "1 MB as two 512 KB banks"), UNVERIFIED, "only F42xxG/F43xxG (1 MB) parts use it"));
        }
        if (sprmod) {
            f.add(flag("SPRMOD", "what the nWRP bits mean", bits(8, 15, 1), v(0, "WRITE_PROTECTION", "nWRP bits are write protection"),
                    v(1, "PCROP", "nWRP bits select proprietary code read-out protection (active high)"), UNVERIFIED, ""));
        }
        return f;
    }

    private static OptionByteLayout f4(ChipProfile chip, int sectors, boolean sprmod) {
        List<OptionByteField> fields = f4Fields(sectors, false, sprmod);
        return new OptionByteLayout(chip.id(), "STM32F4", blocksOf(chip), fields, List.of(),
                factory(chip, fields, List.of(), Map.of()), UNVERIFIED, F4_LAYOUT_NOTE, new BootModel.PinOnly(VERIFIED));
    }

    private static OptionByteLayout f42x(ChipProfile chip) {
        List<OptionByteField> fields = new ArrayList<>(f4Fields(12, true, true));
        fields.add(wrp("nWRP_BANK2", "FLASH_OPTCR1 nWRP: write protection of sectors 12-23, bit n = sector 12+n",
                new FieldLocation(1, 8, 0, 12), UNVERIFIED, "second block at 0x1FFEC000"));
        return new OptionByteLayout(chip.id(), "STM32F42x", blocksOf(chip), fields, List.of(),
                factory(chip, fields, List.of(), Map.of()), UNVERIFIED, F4_LAYOUT_NOTE + "; bank-2 nWRP at +8 of the second block [U]",
                new BootModel.PinOnly(VERIFIED));
    }

    // ---- STM32F7 (RM0385/RM0410/RM0431; FLASH_OPTCR, OPTCR1) ----------------------------------------------

    private static final String F7_LAYOUT_NOTE = "FLASH_OPTCR/OPTCR1 bit positions [V] (CMSIS); the 8-byte stride of the block "
            + "(USER/RDP at +0, OPTCR[31:16] at +8, BOOT_ADD0 at +0x10, BOOT_ADD1 at +0x18) is the reference manuals' "
            + "option-byte table and not checked on hardware [U]";

    /** F7 boot addresses are BOOT_ADDx << 14 (CMSIS FLASH_OPTCR1); the memory map per RM0385. */
    private static final List<AddressRange> F7_BOOT_RANGES = List.of(
            new AddressRange(0x0000_0000L, 0x0001_0000L, BootTarget.EMBEDDED_SRAM, "ITCM RAM"),
            new AddressRange(0x0010_0000L, 0x0011_0000L, BootTarget.SYSTEM_MEMORY, "system memory on ITCM (the ROM bootloader)"),
            new AddressRange(0x0020_0000L, 0x0040_0000L, BootTarget.MAIN_FLASH, "flash on ITCM"),
            new AddressRange(0x0800_0000L, 0x0820_0000L, BootTarget.MAIN_FLASH, "flash on AXIM"),
            new AddressRange(0x1FF0_0000L, 0x1FF1_0000L, BootTarget.SYSTEM_MEMORY, "system memory on AXIM (the ROM bootloader)"),
            new AddressRange(0x2000_0000L, 0x2008_0000L, BootTarget.EMBEDDED_SRAM, "DTCM/SRAM"));

    private static List<OptionByteField> f7Fields(int sectors, boolean dualBank) {
        List<OptionByteField> f = new ArrayList<>();
        f.add(field("BOR_LEV", "brown-out reset threshold", bits(0, 2, 2), FieldKind.CHOICE, f4BorLevels(), UNVERIFIED, ""));
        f.add(flag("WWDG_SW", "window watchdog start", bits(0, 4, 1), v(0, "HARDWARE", "WWDG started by hardware"),
                v(1, "SOFTWARE", "WWDG started by software"), UNVERIFIED, ""));
        f.add(flag("IWDG_SW", "independent watchdog start", bits(0, 5, 1), v(0, "HARDWARE", "IWDG started by hardware at reset"),
                v(1, "SOFTWARE", "IWDG started by software"), UNVERIFIED, ""));
        f.add(flag("nRST_STOP", "reset on entering Stop mode", bits(0, 6, 1),
                v(0, "RESET", "reset when entering Stop mode"), v(1, "NO_RESET", "no reset when entering Stop mode"), UNVERIFIED, ""));
        f.add(flag("nRST_STDBY", "reset on entering Standby mode", bits(0, 7, 1),
                v(0, "RESET", "reset when entering Standby mode"), v(1, "NO_RESET", "no reset when entering Standby mode"),
                UNVERIFIED, ""));
        f.add(rdp(wholeByte(1), 0x55, UNVERIFIED));
        f.add(wrp("nWRP", "write protection of sectors 0-" + (sectors - 1) + ", bit n = sector n, 0 = protected",
                bits(8, 0, sectors), UNVERIFIED, ""));
        if (dualBank) {
            f.add(flag("nDBOOT", "dual boot", bits(8, 12, 1), v(0, "ENABLED", "dual boot enabled"),
                    v(1, "DISABLED", "dual boot disabled"), UNVERIFIED, "F76x/F77x only"));
            f.add(flag("nDBANK", "flash bank mode", bits(8, 13, 1),
                    v(0, "DUAL_BANK", "dual bank: two banks, 16/64/128 KB sectors, bank 2 at 0x08100000"),
                    v(1, "SINGLE_BANK", "single bank: 32/128/256 KB sectors"), UNVERIFIED,
                    "F76x/F77x only; the sector map changes, erase the flash after changing it"));
        }
        // FLASH_OPTCR bit 30 is IWDG_STDBY and bit 31 IWDG_STOP (RM0385/RM0410); docs/reference lists no
        // F7 IWDG bits, hence unverified. Offset 8 holds OPTCR[31:16], so bit 30 is bit 14 here.
        f.add(flag("IWDG_STDBY", "IWDG in Standby mode", bits(8, 14, 1), v(0, "FROZEN", "IWDG frozen in Standby mode"),
                v(1, "RUNNING", "IWDG runs in Standby mode"), UNVERIFIED, "FLASH_OPTCR bit 30"));
        f.add(flag("IWDG_STOP", "IWDG in Stop mode", bits(8, 15, 1), v(0, "FROZEN", "IWDG frozen in Stop mode"),
                v(1, "RUNNING", "IWDG runs in Stop mode"), UNVERIFIED, "FLASH_OPTCR bit 31"));
        f.add(bootAddress("BOOT_ADD0", "boot address with BOOT0 low (address = value << 14)", bits(0x10, 0, 16), 14, UNVERIFIED,
                "factory 0x0080 = 0x00200000, flash on ITCM"));
        f.add(bootAddress("BOOT_ADD1", "boot address with BOOT0 high (address = value << 14)", bits(0x18, 0, 16), 14, UNVERIFIED,
                "factory 0x0040 = 0x00100000, the ROM bootloader"));
        return f;
    }

    private static OptionByteLayout f7(ChipProfile chip, int sectors, boolean dualBank, String extraNote) {
        List<OptionByteField> fields = f7Fields(sectors, dualBank);
        return new OptionByteLayout(chip.id(), "STM32F7", blocksOf(chip), fields, List.of(),
                factory(chip, fields, List.of(), Map.of("BOOT_ADD0", 0x0080L, "BOOT_ADD1", 0x0040L)), UNVERIFIED,
                F7_LAYOUT_NOTE + extraNote,
                new BootModel.AddressFields("BOOT_ADD0", "BOOT_ADD1", F7_BOOT_RANGES, UNVERIFIED));
    }

    // ---- STM32H7 (RM0433/RM0455/RM0468; option registers window at FLASH_OPTSR_CUR) ------------------------

    private static final String H7_LAYOUT_NOTE = "the ROM's 'Option Bytes' alt is a window at FLASH_OPTSR_CUR (0x5200201C); "
            + "dfu4j assumes it is the FLASH register block byte for byte (OPTSR_CUR at +0, BOOT_CUR at +0x24) — "
            + "the window's contents and how the ROM programs it are unverified (docs/reference/stm32.md §3.2, docs/reference/README.md §7 item 4) [U]";

    private static final List<AddressRange> H7_BOOT_RANGES = List.of(
            new AddressRange(0x0000_0000L, 0x0004_0000L, BootTarget.EMBEDDED_SRAM, "ITCM RAM"),
            new AddressRange(0x0800_0000L, 0x0820_0000L, BootTarget.MAIN_FLASH, "user flash"),
            new AddressRange(0x1FF0_0000L, 0x1FF2_0000L, BootTarget.SYSTEM_MEMORY, "system memory (the ROM bootloader)"),
            new AddressRange(0x2000_0000L, 0x4000_0000L, BootTarget.EMBEDDED_SRAM, "DTCM/AXI/AHB SRAM"));

    private static OptionByteLayout h7(ChipProfile chip, boolean dualBank) {
        List<OptionByteField> f = new ArrayList<>();
        f.add(field("BOR_LEV", "brown-out reset threshold", bits(0, 2, 2), FieldKind.CHOICE, List.of(
                v(0, "OFF", "brown-out reset off"), v(1, "LEVEL1", "brown-out reset at about 2.1 V"),
                v(2, "LEVEL2", "brown-out reset at about 2.4 V"), v(3, "LEVEL3", "brown-out reset at about 2.7 V")), UNVERIFIED, ""));
        f.add(flag("IWDG1_SW", "independent watchdog 1 start", bits(0, 4, 1), v(0, "HARDWARE", "IWDG1 started by hardware"),
                v(1, "SOFTWARE", "IWDG1 started by software"), UNVERIFIED, ""));
        f.add(flag("NRST_STOP_D1", "reset on D1 entering Stop mode", bits(0, 6, 1), v(0, "RESET", "reset when D1 enters Stop"),
                v(1, "NO_RESET", "no reset when D1 enters Stop"), UNVERIFIED, ""));
        f.add(flag("NRST_STBY_D1", "reset on D1 entering Standby mode", bits(0, 7, 1), v(0, "RESET", "reset when D1 enters Standby"),
                v(1, "NO_RESET", "no reset when D1 enters Standby"), UNVERIFIED, ""));
        f.add(rdp(wholeByte(1), 0x55, UNVERIFIED));
        if (dualBank) {
            f.add(flag("SWAP_BANK_OPT", "bank swapping", bits(0, 31, 1), v(0, "NOT_SWAPPED", "bank 1 at 0x08000000"),
                    v(1, "SWAPPED", "bank 2 mapped at 0x08000000"), UNVERIFIED, ""));
        }
        f.add(bootAddress("BOOT_ADD0", "boot address with BOOT0 low (address = value << 16)", bits(0x24, 0, 16), 16, UNVERIFIED,
                "factory 0x0800 = 0x08000000"));
        f.add(bootAddress("BOOT_ADD1", "boot address with BOOT0 high (address = value << 16)", bits(0x24, 16, 16), 16, UNVERIFIED,
                "factory 0x1FF0 = 0x1FF00000, the ROM bootloader"));
        return new OptionByteLayout(chip.id(), "STM32H7", blocksOf(chip), f, List.of(),
                factory(chip, f, List.of(), Map.of("BOOT_ADD0", 0x0800L, "BOOT_ADD1", 0x1FF0L)), UNVERIFIED, H7_LAYOUT_NOTE,
                new BootModel.AddressFields("BOOT_ADD0", "BOOT_ADD1", H7_BOOT_RANGES, UNVERIFIED));
    }

    // ---- the table ----------------------------------------------------------------------------------------

    private static final List<OptionByteLayout> LAYOUTS = List.of(
            f0(Stm32Profiles.STM32F072),
            f4(Stm32Profiles.STM32F405, 12, false),
            f42x(Stm32Profiles.STM32F429),
            f4(Stm32Profiles.STM32F446, 8, true),
            f7(Stm32Profiles.STM32F722, 8, false, "; the 16 bytes from +0x20 (PCROP on F72x/F73x) are not decoded"),
            f7(Stm32Profiles.STM32F746, 8, false, ""),
            f7(Stm32Profiles.STM32F767, 12, true, ""),
            h7(Stm32Profiles.STM32H743, true),
            h7(Stm32Profiles.STM32H7A3, true),
            h7(Stm32Profiles.STM32H723, false));

    /** Every layout, F0 first. */
    public static List<OptionByteLayout> all() {
        return LAYOUTS;
    }

    /** The layout of a chip line by its profile id (e.g. "stm32f072"). */
    public static Optional<OptionByteLayout> forChip(String chipId) {
        return LAYOUTS.stream().filter(l -> l.chipId().equals(chipId)).findFirst();
    }


    /**
     * Identifies the chip of a DFU device from its alt-setting strings: first an exact match of every
     * string with a profile's ROM strings, else the address and size of the "Option Bytes" alt's
     * zones. Empty for devices without an option-byte alt (mboot, non-ST bootloaders).
     */
    public static Optional<OptionByteLayout> forAltSettings(List<AltSetting> alts) {
        Objects.requireNonNull(alts, "alts");
        List<String> names = alts.stream().map(AltSetting::name).toList();
        for (ChipProfile chip : Stm32Profiles.chips()) {
            for (FlashMap map : chip.flashMaps()) {
                if (chip.altSettings(map).stream().map(RomAltSetting::layout).toList().equals(names)) {
                    return forChip(chip.id());
                }
            }
        }
        for (String name : names) {
            if (!name.stripLeading().startsWith("@Option Bytes")) {
                continue;
            }
            List<MemoryRegion> zones;
            try {
                zones = MemoryLayout.parse(name, "option-byte alt").regions();
            } catch (LayoutFormatException e) {
                continue;
            }
            for (OptionByteLayout l : LAYOUTS) {
                if (sameBlocks(l.blocks(), zones)) {
                    return Optional.of(l);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean sameBlocks(List<OptionByteLayout.Block> blocks, List<MemoryRegion> zones) {
        if (blocks.size() != zones.size()) {
            return false;
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).address() != zones.get(i).start() || blocks.get(i).size() != zones.get(i).size()) {
                return false;
            }
        }
        return true;
    }
}
