package io.github.dfu4j.stm32.internal;

import static io.github.dfu4j.stm32.internal.ProfileParts.*;

import io.github.dfu4j.stm32.Evidence;

import io.github.dfu4j.sim.BusyBehaviour;

import io.github.dfu4j.stm32.RomQuirk;
import static io.github.dfu4j.stm32.Evidence.OBSERVED;
import static io.github.dfu4j.stm32.Evidence.SECONDARY;
import static io.github.dfu4j.stm32.Evidence.UNVERIFIED;
import static io.github.dfu4j.stm32.Evidence.VERIFIED;
import static io.github.dfu4j.stm32.internal.FlashMap.bank;
import static io.github.dfu4j.stm32.internal.FlashMap.banks;
import static io.github.dfu4j.stm32.internal.FlashMap.run;
import static io.github.dfu4j.stm32.internal.FlashTiming.erase;

import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.stm32.internal.Programming.Overwrite;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The STM32 table: one {@link ChipProfile} per supported line and one {@link MbootBoard} per
 * supported mboot board. Every value comes from the reference pages in docs/reference
 * (docs/reference/stm32.md, dfu.md, mboot.md); the section is named next to it and the {@link Evidence} says how well
 * it is backed. Numbers those pages do not have (typical erase times, RAM sizes, option-byte
 * defaults) are marked {@link Evidence#UNVERIFIED} with the reason.
 *
 * <pre>{@code
 * ChipProfile f405 = Stm32Profiles.byId("stm32f405").orElseThrow();
 * Optional<ChipProfile> chip = Stm32Profiles.byDeviceId(0x450);      // H742/H743/H753/H750
 * }</pre>
 */
public final class Stm32Profiles {
    private Stm32Profiles() {
    }

    // ---- the table ---------------------------------------------------------------------------------------

    /** STM32F070xB/F071/F072: 128 KB in 2 KB pages, option bytes only (docs/reference/stm32.md §3.1-§4). */
    public static final ChipProfile STM32F072 = new ChipProfile("stm32f072", "STM32F070xB/F071/F072", 0x448,
            List.of(0xA1, 0xA3),
            List.of(new FlashMap("single", "128 KB, 64 pages of 2 KB",
                    bank(1, FLASH, 0, run(64, 2)),
                    "@Internal Flash  /0x08000000/064*0002Kg", UNVERIFIED /* observed on F070CB/RB, F072 same die [U] */)),
            List.of(ram("SRAM", 0x2000_0000L, 16)),
            new Programming(2, Overwrite.REFUSE_UNIT, UNVERIFIED /* half-word [V] R13; PGERR refusal [U] */),
            new OptionBytes(List.of(new MemoryArea("option bytes", 0x1FFF_F800L, 16)), 0,
                    // RDP/nRDP, USER/nUSER, DATA0/1, WRP0-3 as byte + complement ([V] R12 OB_TypeDef); values [U]
                    List.of("AA55FF00FF00FF00FF00FF00FF00FF00"), UNVERIFIED),
            new FlashTiming(List.of(erase(2, ms(20, 40, UNVERIFIED, "docs/reference/stm32.md §4.3 F0 2 KB page erase max 40 ms [S] zephyr; 20 min [U]"))),
                    ms(20, 40, UNVERIFIED, "docs/reference/stm32.md §4.3 F0 mass erase assumed as one page erase [U]"),
                    TimeRange.us(52.5, 70, UNVERIFIED, "docs/reference/stm32.md §4.3 F0 16-bit program 52.5 typ / 70 max µs [U]")),
            new DfuRom(stRomF(0x0100, UNVERIFIED /* F070 logs [O]; bcdUSB assumed like F4 */), 2048, DfuRom.ATTRIBUTES_ST, 255,
                    List.of(alt(MemoryKind.OPTION_BYTES, "@Option Bytes  /0x1FFFF800/01*016 e", UNVERIFIED)),
                    POLLS_CUBE_TEMPLATE, BusyBehaviour.NAK_UNTIL_DONE, DfuRom.ST_COMMANDS),
            LeaveMode.VECTOR_TABLE,
            EnumSet.of(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN, RomQuirk.EMPTY_CHECK_BOOT));

    /** STM32F405/F407/F415/F417: 1 MB, newer bootloader with bcdDevice 0x2200 (docs/reference/stm32.md §3.2 [O] R16-f407). */
    public static final ChipProfile STM32F405 = new ChipProfile("stm32f405", "STM32F405/F407/F415/F417", 0x413,
            List.of(0x31, 0x91),
            List.of(new FlashMap("single", "1 MB, sectors 0-11",
                    bank(1, FLASH, 0, run(4, 16), run(1, 64), run(7, 128)), F4_FLASH_1M, OBSERVED)),
            List.of(ram("SRAM1+SRAM2", 0x2000_0000L, 128), ram("CCM", 0x1000_0000L, 64)),
            new Programming(4, Overwrite.AND_BITS, SECONDARY),
            new OptionBytes(List.of(new MemoryArea("option bytes", 0x1FFF_C000L, 16)), 1,
                    // +0 USER (BOR off, WDG_SW, nRST_STOP, nRST_STDBY), +1 RDP, +8..9 nWRP: byte order [U]
                    List.of("ECAAFFFFFFFFFFFFFF0FFFFFFFFFFFFF"), UNVERIFIED),
            new FlashTiming(F4_ERASE,
                    ms(8000, 32000, UNVERIFIED, "docs/reference/stm32.md §4.3 F405 mass erase 'up to 32 s' [S] R1 (x8); typical at x32 assumed 8 s"),
                    F4_PROGRAM),
            new DfuRom(stRomF(0x0100, OBSERVED), 2048, DfuRom.ATTRIBUTES_ST, 255,
                    f4Extras("@Option Bytes  /0x1FFFC000/01*016 e", OBSERVED),
                    POLLS_F4, BusyBehaviour.NAK_UNTIL_DONE, DfuRom.ST_COMMANDS),
            LeaveMode.VECTOR_TABLE,
            EnumSet.of(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN, RomQuirk.MASS_ERASE_POLL_UNDERSTATED));

    /** STM32F427/F429/F437/F439, 2 MB dual bank: bank 2 sectors 12-23 at 0x08100000 (docs/reference/stm32.md §4.1 [V] R14). */
    public static final ChipProfile STM32F429 = new ChipProfile("stm32f429", "STM32F427/F429/F437/F439 (2 MB)", 0x419,
            List.of(0x70, 0x91),
            List.of(new FlashMap("dual", "2 MB, bank 1 sectors 0-11, bank 2 sectors 12-23",
                    banks(bank(1, FLASH, 0, run(4, 16), run(1, 64), run(7, 128)),
                            bank(2, BANK2_2MB, 12, run(4, 16), run(1, 64), run(7, 128))),
                    "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg", OBSERVED)),
            List.of(ram("SRAM1-3", 0x2000_0000L, 192), ram("CCM", 0x1000_0000L, 64)),
            new Programming(4, Overwrite.AND_BITS, SECONDARY),
            new OptionBytes(List.of(new MemoryArea("option bytes bank 1", 0x1FFF_C000L, 16),
                    new MemoryArea("option bytes bank 2", 0x1FFE_C000L, 16)), 1,
                    List.of("ECAAFFFFFFFFFFFFFF0FFFFFFFFFFFFF", "FFFFFFFFFFFFFFFFFF0FFFFFFFFFFFFF"), UNVERIFIED),
            new FlashTiming(F4_ERASE, ms(16000, 32000, UNVERIFIED, "F4 2 MB mass erase: not in docs/reference [U]"), F4_PROGRAM),
            new DfuRom(stRomF(0x0100, OBSERVED), 2048, DfuRom.ATTRIBUTES_ST, 255,
                    f4Extras("@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e", OBSERVED),
                    POLLS_F4, BusyBehaviour.NAK_UNTIL_DONE, DfuRom.ST_COMMANDS),
            LeaveMode.VECTOR_TABLE,
            EnumSet.of(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN, RomQuirk.MASS_ERASE_POLL_UNDERSTATED));

    /** STM32F446: 512 KB; ROM strings expected, not observed (docs/reference/stm32.md §3.2 [U]). */
    public static final ChipProfile STM32F446 = new ChipProfile("stm32f446", "STM32F446", 0x421,
            List.of(0x90),
            List.of(new FlashMap("single", "512 KB, sectors 0-7",
                    bank(1, FLASH, 0, run(4, 16), run(1, 64), run(3, 128)),
                    "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg", UNVERIFIED)),
            List.of(ram("SRAM1+SRAM2", 0x2000_0000L, 128)),
            new Programming(4, Overwrite.AND_BITS, SECONDARY),
            new OptionBytes(List.of(new MemoryArea("option bytes", 0x1FFF_C000L, 16)), 1,
                    List.of("ECAAFFFFFFFFFFFFFF0FFFFFFFFFFFFF"), UNVERIFIED),
            new FlashTiming(F4_ERASE, ms(4000, 16000, UNVERIFIED, "F4 512 KB mass erase: not in docs/reference [U]"), F4_PROGRAM),
            new DfuRom(stRomF(0x0100, UNVERIFIED), 2048, DfuRom.ATTRIBUTES_ST, 255,
                    f4Extras("@Option Bytes  /0x1FFFC000/01*016 e", UNVERIFIED),
                    POLLS_F4, BusyBehaviour.NAK_UNTIL_DONE, DfuRom.ST_COMMANDS),
            LeaveMode.VECTOR_TABLE,
            EnumSet.of(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN, RomQuirk.MASS_ERASE_POLL_UNDERSTATED));

    /** STM32F722/F723/F732/F733: 512 KB; note the ROM's unpadded "01*64Kg" and "01*528e" (docs/reference/dfu.md §2.9, docs/reference/stm32.md §3.2). */
    public static final ChipProfile STM32F722 = new ChipProfile("stm32f722", "STM32F722/F723/F732/F733", 0x452,
            List.of(0x90),
            List.of(new FlashMap("single", "512 KB, sectors 0-7",
                    bank(1, FLASH, 0, run(4, 16), run(1, 64), run(3, 128)),
                    "@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg", SECONDARY)),
            List.of(ram("DTCM+SRAM1+SRAM2", 0x2000_0000L, 256)),
            new Programming(4, Overwrite.AND_BITS, SECONDARY),
            new OptionBytes(List.of(new MemoryArea("option bytes", 0x1FFF_0000L, 48)), 1,
                    List.of("FDAA" + "FF".repeat(46)), UNVERIFIED),
            new FlashTiming(F7_ERASE, ms(4000, 16000, UNVERIFIED, "F7 512 KB mass erase: not in docs/reference [U]"), F4_PROGRAM),
            new DfuRom(stRomF(0x0100, OBSERVED), 2048, DfuRom.ATTRIBUTES_ST, 255,
                    List.of(alt(MemoryKind.OPTION_BYTES, "@Option Bytes  /0x1FFF0000/01*048 e", UNVERIFIED),
                            alt(MemoryKind.OTP, "@OTP Memory /0x1FF07800/01*528e", UNVERIFIED),
                            alt(MemoryKind.DEVICE_FEATURE, "@Device Feature/0xFFFF0000/01*004 e", UNVERIFIED)),
                    POLLS_F7, BusyBehaviour.NAK_UNTIL_DONE, DfuRom.ST_COMMANDS),
            LeaveMode.VECTOR_TABLE,
            EnumSet.of(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN));

    /** STM32F745/F746/F756: 1 MB in 32/128/256 KB sectors; alt 0 string [S] R11, the rest [U]. */
    public static final ChipProfile STM32F746 = new ChipProfile("stm32f746", "STM32F745/F746/F756", 0x449,
            List.of(0x70, 0x90),
            List.of(new FlashMap("single", "1 MB, sectors 0-7",
                    bank(1, FLASH, 0, run(4, 32), run(1, 128), run(3, 256)),
                    "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg", SECONDARY)),
            List.of(ram("DTCM+SRAM1+SRAM2", 0x2000_0000L, 320)),
            new Programming(4, Overwrite.AND_BITS, SECONDARY),
            new OptionBytes(List.of(new MemoryArea("option bytes", 0x1FFF_0000L, 32)), 1,
                    List.of("FDAA" + "FF".repeat(30)), UNVERIFIED),
            new FlashTiming(F7_ERASE, ms(8000, 16000, UNVERIFIED, "F7 1 MB mass erase: not in docs/reference [U]"), F4_PROGRAM),
            new DfuRom(stRomF(0x0100, OBSERVED), 2048, DfuRom.ATTRIBUTES_ST, 255,
                    List.of(alt(MemoryKind.OPTION_BYTES, "@Option Bytes  /0x1FFF0000/01*032 e", UNVERIFIED),
                            alt(MemoryKind.OTP, "@OTP Memory /0x1FF0F000/01*1056e", UNVERIFIED),
                            alt(MemoryKind.DEVICE_FEATURE, "@Device Feature/0xFFFF0000/01*004 e", UNVERIFIED)),
                    POLLS_F7, BusyBehaviour.NAK_UNTIL_DONE, DfuRom.ST_COMMANDS),
            LeaveMode.VECTOR_TABLE,
            EnumSet.of(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN));

    /**
     * STM32F765/F767/F769/F77x, 2 MB: nDBANK=1 single bank (factory default) or nDBANK=0 dual bank
     * with bank 2 sectors numbered from 12 (docs/reference/stm32.md §4.1 [V] R12/R14, docs/reference/dfu.md §2.7 item 7). ROM strings [U].
     */
    public static final ChipProfile STM32F767 = new ChipProfile("stm32f767", "STM32F765/F767/F769/F777/F779 (2 MB)", 0x451,
            List.of(0x93),
            List.of(new FlashMap("single", "nDBANK=1: single bank, sectors 0-11 of 32/128/256 KB",
                            bank(1, FLASH, 0, run(4, 32), run(1, 128), run(7, 256)),
                            "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg", UNVERIFIED),
                    new FlashMap("dual", "nDBANK=0: dual bank, bank 1 sectors 0-11, bank 2 sectors 12-23 at 0x08100000",
                            banks(bank(1, FLASH, 0, run(4, 16), run(1, 64), run(7, 128)),
                                    bank(2, BANK2_2MB, 12, run(4, 16), run(1, 64), run(7, 128))),
                            "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg", UNVERIFIED)),
            List.of(ram("DTCM+SRAM1+SRAM2", 0x2000_0000L, 512)),
            new Programming(4, Overwrite.AND_BITS, SECONDARY),
            new OptionBytes(List.of(new MemoryArea("option bytes", 0x1FFF_0000L, 32)), 1,
                    List.of("FDAA" + "FF".repeat(30)), UNVERIFIED),
            new FlashTiming(F7_ERASE, ms(9000, 32000, UNVERIFIED, "2 MB F765 erase 8-10 s (mboot, PR #5730) [O]"), F4_PROGRAM),
            new DfuRom(stRomF(0x0100, UNVERIFIED), 2048, DfuRom.ATTRIBUTES_ST, 255,
                    List.of(alt(MemoryKind.OPTION_BYTES, "@Option Bytes  /0x1FFF0000/01*032 e", UNVERIFIED),
                            alt(MemoryKind.OTP, "@OTP Memory /0x1FF0F000/01*1056e", UNVERIFIED),
                            alt(MemoryKind.DEVICE_FEATURE, "@Device Feature/0xFFFF0000/01*004 e", UNVERIFIED)),
                    POLLS_F7, BusyBehaviour.NAK_UNTIL_DONE, DfuRom.ST_COMMANDS),
            LeaveMode.VECTOR_TABLE,
            EnumSet.of(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN));

    /**
     * H7 ROMs hold (NAK) requests while the flash is busy, like F0/F4/F7: [O] docs/troubleshooting.md 001, pydfu wrote 57 KB
     * to an H753 ROM, and pydfu fails a write unless the GETSTATUS sent at once after the dfuDNBUSY one
     * answers dfuDNLOAD-IDLE (it never sleeps bwPollTimeout; docs/reference/mboot.md §5.4, docs/reference/stm32.md §6); ST's middleware runs
     * the operation in the EP0 TX-complete callback for every family (docs/reference/dfu.md §2.3). Inferred from one H753 log
     * and that protocol, not measured. The rev V bank-2 erase wedge (docs/reference/dfu.md §2.7 item 3) is the exception the
     * simulator models on top: held for the erase, then dfuDNBUSY answered forever.
     */
    private static final BusyBehaviour H7_BUSY = BusyBehaviour.NAK_UNTIL_DONE;

    private static final List<MemoryArea> H74X_RAM = List.of(ram("DTCM", 0x2000_0000L, 128), ram("AXI SRAM", 0x2400_0000L, 512),
            ram("SRAM1-3", 0x3000_0000L, 288), ram("SRAM4", 0x3800_0000L, 64));

    /** H7 option registers window at FLASH_OPTSR_CUR: OPTSR_CUR little-endian first, RDP in bits 15:8 ([V] R12); contents [U]. */
    private static OptionBytes h7Window(int size) {
        return new OptionBytes(List.of(new MemoryArea("option register window", 0x5200_201CL, size)), 1,
                List.of("F0AA0000" + "00".repeat(size - 4)), UNVERIFIED);
    }

    /** STM32H742/H743/H753 (and the H750 die): two banks of 8 x 128 KB, bank 2 at 0x08100000 (docs/reference/stm32.md §4.1 [V] R12). */
    public static final ChipProfile STM32H743 = new ChipProfile("stm32h743", "STM32H742/H743/H753/H750 (2 MB die)", 0x450,
            List.of(0x91, 0x90, 0xD2, 0xD3),
            List.of(new FlashMap("dual", "2 MB, two banks of 8 x 128 KB",
                    banks(bank(1, FLASH, 0, run(8, 128)), bank(2, BANK2_2MB, 0, run(8, 128))),
                    "@Internal Flash   /0x08000000/16*128Kg", OBSERVED)),
            H74X_RAM,
            new Programming(32, Overwrite.REFUSE_UNIT, UNVERIFIED /* 256-bit word [V] R12/R13; refusal [U] */),
            h7Window(128),
            new FlashTiming(List.of(erase(128, ms(1100, 2200, UNVERIFIED, H743_DS))),
                    ms(24000, 48000, UNVERIFIED, "docs/reference/stm32.md §4.3 H745 ROM mass erase of 16 sectors ≈24 s (CubeProgrammer) [O] is"
                            + " the typical; the 48 s maximum is an assumption (2 x typical), no datasheet value [U]"),
                    TimeRange.us(130, 260, UNVERIFIED, H743_DS)),
            new DfuRom(stRomH7(OBSERVED), 1024, DfuRom.ATTRIBUTES_ST, 255,
                    List.of(alt(MemoryKind.OPTION_BYTES, "@Option Bytes   /0x5200201C/01*128 e", OBSERVED)),
                    POLLS_CUBE_TEMPLATE, H7_BUSY, DfuRom.ST_COMMANDS),
            LeaveMode.RESET_HANDLER,
            EnumSet.of(RomQuirk.BANK2_ERASE_WEDGE, RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS,
                    RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN));

    /** STM32H7A3/H7B3/H7B0: 2 x 128 sectors of 8 KB, 128-bit flash word, 1 KB OTP (docs/reference/stm32.md §3.2 [O] m64-misc, §4.1). */
    public static final ChipProfile STM32H7A3 = new ChipProfile("stm32h7a3", "STM32H7A3/H7B3/H7B0 (2 MB)", 0x480,
            List.of(0x92, 0x91),
            List.of(new FlashMap("dual", "2 MB, two banks of 128 x 8 KB",
                    banks(bank(1, FLASH, 0, run(128, 8)), bank(2, BANK2_2MB, 0, run(128, 8))),
                    "@Internal Flash   /0x08000000/256*08Kg", OBSERVED)),
            List.of(ram("DTCM", 0x2000_0000L, 128), ram("AXI SRAM", 0x2400_0000L, 1024),
                    ram("AHB SRAM", 0x3000_0000L, 128), ram("SRD SRAM", 0x3800_0000L, 32)),
            new Programming(16, Overwrite.REFUSE_UNIT, UNVERIFIED /* 128-bit word [V] R12/R13; refusal [U] */),
            h7Window(297),
            new FlashTiming(List.of(erase(8, ms(80, 200, UNVERIFIED, "docs/reference/stm32.md §4.3 H7A3 8 KB sector erase: no data [gap], assumed"))),
                    ms(4000, 10000, UNVERIFIED, "H7A3 mass erase: no data [gap], assumed"),
                    TimeRange.us(70, 140, UNVERIFIED, "no data [gap]; assumed about half of H743's 256-bit word")),
            new DfuRom(stRomH7(OBSERVED), 1024, DfuRom.ATTRIBUTES_ST, 255,
                    List.of(alt(MemoryKind.OPTION_BYTES, "@Option Bytes   /0x5200201C/01*297 e", OBSERVED),
                            alt(MemoryKind.OTP, "@OTP Memory   /0x08FFF000/01*1024 e", OBSERVED)),
                    POLLS_CUBE_TEMPLATE, H7_BUSY, DfuRom.ST_COMMANDS),
            LeaveMode.RESET_HANDLER,
            EnumSet.of(RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS, RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN));

    /** STM32H723/H725/H733/H735: single bank of 8 x 128 KB (docs/reference/stm32.md §4.1 [V] R12/R18); ROM strings from one anonymous source [U]. */
    public static final ChipProfile STM32H723 = new ChipProfile("stm32h723", "STM32H723/H725/H733/H735 (1 MB)", 0x483,
            List.of(0x93),
            List.of(new FlashMap("single", "1 MB, single bank of 8 x 128 KB",
                    bank(1, FLASH, 0, run(8, 128)),
                    "@Internal Flash   /0x08000000/8*128Kg", UNVERIFIED)),
            List.of(ram("DTCM", 0x2000_0000L, 128), ram("AXI SRAM", 0x2400_0000L, 320),
                    ram("SRAM1-2", 0x3000_0000L, 32), ram("SRAM4", 0x3800_0000L, 16)),
            new Programming(32, Overwrite.REFUSE_UNIT, UNVERIFIED),
            h7Window(88),
            new FlashTiming(List.of(erase(128, ms(1100, 2200, UNVERIFIED, H743_DS + "; H72x assumed equal"))),
                    ms(12000, 24000, UNVERIFIED, "H72x mass erase: assumed half of the H745 observation"),
                    TimeRange.us(130, 260, UNVERIFIED, H743_DS + "; H72x assumed equal")),
            new DfuRom(stRomH7(UNVERIFIED), 1024, DfuRom.ATTRIBUTES_ST, 255,
                    List.of(alt(MemoryKind.OPTION_BYTES, "@Option Bytes   /0x5200201C/01*88 e", UNVERIFIED)),
                    POLLS_CUBE_TEMPLATE, H7_BUSY, DfuRom.ST_COMMANDS),
            LeaveMode.RESET_HANDLER,
            EnumSet.of(RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS, RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN));

    private static final List<ChipProfile> CHIPS = List.of(STM32F072, STM32F405, STM32F429, STM32F446, STM32F722,
            STM32F746, STM32F767, STM32H743, STM32H7A3, STM32H723);

    // ---- mboot boards (docs/reference/mboot.md §5) -------------------------------------------------------------------------------

    private static final TimeRange SPI_ERASE_4K = ms(45, 400, UNVERIFIED, "typical SPI NOR 4 KB sector erase; not in docs/reference");
    private static final TimeRange SPI_PAGE = ms(0.4, 3, UNVERIFIED, "typical SPI NOR 256-byte page program; not in docs/reference");

    /** PYBD-SF2/SF3: two 2 MB flashes advertised as 64 x 32 KB, page erase = 8 x 4 KB ([V] R3). */
    private static List<SpiFlash> pybdSf2Spi() {
        return List.of(
                new SpiFlash("SPI flash #1 (software QSPI, storage)", 0x8000_0000L, 2 * K * K, 32 * K, 32 * K, SPI_ERASE_4K, SPI_PAGE),
                new SpiFlash("QSPI flash #2 (memory-mapped, .text_ext)", 0x9000_0000L, 2 * K * K, 32 * K, 32 * K, SPI_ERASE_4K, SPI_PAGE));
    }

    private static final String PYBD_SF2_LAYOUT =
            "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x80000000/64*32Kg/0x90000000/64*32Kg";

    /** PYBD-SF2 (STM32F722IEK): the layout advertises 1 MB internal flash, mboot's table ends at 512 KB. */
    public static final MbootBoard PYBD_SF2 = new MbootBoard("mboot-pybd-sf2", "PYBD-SF2 (STM32F722IEK)", STM32F722, MBOOT_USB,
            PYBD_SF2_LAYOUT, 2048, 0x0808_0000L, 0x0800_8000L, pybdSf2Spi(), MbootBoard.ERROR_STRINGS);

    /** PYBD-SF3 (STM32F733IEK): same flash, strings and layout as SF2. */
    public static final MbootBoard PYBD_SF3 = new MbootBoard("mboot-pybd-sf3", "PYBD-SF3 (STM32F733IEK)", STM32F722, MBOOT_USB,
            PYBD_SF2_LAYOUT, 2048, 0x0808_0000L, 0x0800_8000L, pybdSf2Spi(), MbootBoard.ERROR_STRINGS);

    /**
     * PYBD-SF6 (STM32F767IIK) with the 2 MB Adesto AT25SF161 flashes (512 x 4 KB; an 8 MB S25FL064
     * board reports 2048 x 4 KB instead).
     */
    public static final MbootBoard PYBD_SF6 = new MbootBoard("mboot-pybd-sf6", "PYBD-SF6 (STM32F767IIK)", STM32F767, MBOOT_USB,
            "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg/0x80000000/512*4Kg/0x90000000/512*4Kg", 2048,
            0x0820_0000L, 0x0800_8000L,
            List.of(new SpiFlash("SPI flash #1 (AT25SF161, storage)", 0x8000_0000L, 2 * K * K, 4 * K, 4 * K, SPI_ERASE_4K, SPI_PAGE),
                    new SpiFlash("QSPI flash #2 (AT25SF161, memory-mapped)", 0x9000_0000L, 2 * K * K, 4 * K, 4 * K, SPI_ERASE_4K, SPI_PAGE)),
            MbootBoard.ERROR_STRINGS);

    /**
     * STM32F769I-DISCO (STM32F769NIH6, 2 MB) running mboot, with its 64 MiB Macronix MX25L51245G QSPI
     * flash behind mboot at 0x90000000 as 512 x 128 KB pages, each erased as 32 x 4 KB blocks; mboot
     * itself takes sectors 0-3 (128 KB, the application starts at 0x08020000) (docs/reference/mboot.md §5.5).
     * The largest external flash of any personality: the 64 MiB memory bound of issue 11 is tested on it.
     */
    public static final MbootBoard F769DISC = new MbootBoard("mboot-f769disc", "STM32F769DISC (STM32F769NIH6)", STM32F767,
            MBOOT_USB, "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg/0x90000000/512*128Kg", 2048,
            0x0820_0000L, 0x0802_0000L,
            List.of(new SpiFlash("QSPI flash (MX25L51245G, 64 MiB, memory-mapped)", 0x9000_0000L, 64 * K * K, 128 * K,
                    128 * K, SPI_ERASE_4K, SPI_PAGE)),
            MbootBoard.ERROR_STRINGS);

    private static final List<MbootBoard> MBOOT = List.of(PYBD_SF2, PYBD_SF3, PYBD_SF6, F769DISC);

    /** Every chip profile, F0 first, H7 last. */
    public static List<ChipProfile> chips() {
        return CHIPS;
    }

    /** Every mboot board. */
    public static List<MbootBoard> mbootBoards() {
        return MBOOT;
    }

    public static Optional<ChipProfile> byId(String id) {
        return CHIPS.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public static Optional<MbootBoard> mbootBoard(String id) {
        return MBOOT.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /**
     * Device IDs of ST lines dfu4j has no chip profile for but knows ROM quirks of (the quirks table
     * refers to them by ID). Not in docs/reference: taken from ST reference-manual DBGMCU_IDCODE tables
     * as restated by stm32flash/OpenOCD [U]; only used when a caller supplies an ID.
     */
    private static final Map<Integer, String> LINES_WITHOUT_PROFILE = Map.ofEntries(
            Map.entry(0x415, "STM32L47x/L48x"), Map.entry(0x435, "STM32L43x/L44x"),
            Map.entry(0x461, "STM32L496/L4A6"), Map.entry(0x462, "STM32L45x/L46x"),
            Map.entry(0x464, "STM32L41x/L42x"), Map.entry(0x470, "STM32L4R/L4S"),
            Map.entry(0x471, "STM32L4P5/L4Q5"),
            Map.entry(0x468, "STM32G431/G441"), Map.entry(0x469, "STM32G47x/G48x"),
            Map.entry(0x479, "STM32G491/G4A1"),
            Map.entry(0x481, "STM32U59x/U5Ax"),
            Map.entry(0x493, "STM32C071"));

    /** The line with this DBGMCU DEV_ID (e.g. 0x413 for F405/F407). */
    public static Optional<ChipProfile> byDeviceId(int deviceId) {
        return CHIPS.stream().filter(c -> c.deviceId() == deviceId).findFirst();
    }

    /**
     * The one device-ID registry: DEV_ID to line name for every chip profile, then for the lines
     * without a profile that the quirks table names, e.g. 0x468 to "STM32G431/G441".
     */
    public static Map<Integer, String> deviceIds() {
        java.util.Map<Integer, String> out = new java.util.LinkedHashMap<>();
        for (ChipProfile c : CHIPS) {
            out.put(c.deviceId(), c.line());
        }
        new java.util.TreeMap<>(LINES_WITHOUT_PROFILE).forEach(out::putIfAbsent);
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The line name of a device ID from {@link #deviceIds()}, e.g. 0x413 to "STM32F405/F407/F415/F417". */
    public static Optional<String> lineOfDeviceId(int deviceId) {
        return Optional.ofNullable(deviceIds().get(deviceId));
    }
}
