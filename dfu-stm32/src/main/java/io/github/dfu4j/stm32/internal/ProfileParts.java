package io.github.dfu4j.stm32.internal;


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
 * The building blocks of the {@link Stm32Profiles} table that several rows share: USB identities, the
 * bwPollTimeout sets, alt-setting strings, RAM areas and flash timings, each with its source in
 * docs/reference and its {@link Evidence}. Split from the table so that the table file holds the rows.
 */
final class ProfileParts {
    private ProfileParts() {
    }

    static final int K = 1024;
    static final long FLASH = 0x0800_0000L;
    static final long BANK2_2MB = 0x0810_0000L;

    // ---- USB identities (docs/reference/dfu.md §2.1, docs/reference/stm32.md §3.2, docs/reference/mboot.md §5.1) -------------------------------------------------------------

    static UsbIdentity stRomF(int bcdUsb, Evidence evidence) {
        return new UsbIdentity(0x0483, 0xDF11, bcdUsb, 0x2200, "STMicroelectronics", "STM32  BOOTLOADER", 0, evidence);
    }

    /** H7 ROM: bcdUSB 2.00, bcdDevice 0x0200, "DFU in FS Mode", iConfiguration 2 ([O] R17-cp1, R16). */
    static UsbIdentity stRomH7(Evidence evidence) {
        return new UsbIdentity(0x0483, 0xDF11, 0x0200, 0x0200, "STMicroelectronics", "DFU in FS Mode", 2, evidence);
    }

    /** mboot device descriptor: bcdUSB 2.00, bcdDevice 0x0300 ([V] R3 docs/reference/mboot.md §5.1). */
    static final UsbIdentity MBOOT_USB =
            new UsbIdentity(0x0483, 0xDF11, 0x0200, 0x0300, "MicroPython", "Pyboard DFU", 0, VERIFIED);

    // ---- bwPollTimeout as reported (docs/reference/stm32.md §6) --------------------------------------------------------------

    /**
     * F4: F469 ROM reported 104 ms after SET_ADDRESS and 100 ms after an erase [O]; F405 mass erase 100 ms
     * [V] R1; the data-write value was never seen, only assumed, so the set as a whole is [U].
     */
    static final PollTimeouts POLLS_F4 = new PollTimeouts(104, 104, 100, 100, UNVERIFIED,
            "docs/reference/stm32.md §6: F469 ROM (dfu-util 0.9) SET_ADDRESS 104 ms, ERASE 100 ms [O]; F405 mass erase 100 ms [V] R1; "
                    + "data-write value not printed by that log, assumed equal to SET_ADDRESS [U]");
    /** F7: F745 ROM 5 ms after SET_ADDRESS and a write, 100 ms after a 32 KB sector erase [O] R10; mass erase assumed, so [U]. */
    static final PollTimeouts POLLS_F7 = new PollTimeouts(5, 5, 100, 100, UNVERIFIED,
            "docs/reference/stm32.md §6: F745 ROM (fwupd) SET_ADDRESS 5 ms, write 5 ms, 32 KB erase 100 ms [O] R10; mass erase assumed 100 ms [U]");
    /** F0 and H7 values were not found; ST's Cube DFU template uses 50 ms for erase and program [U]. */
    static final PollTimeouts POLLS_CUBE_TEMPLATE = new PollTimeouts(50, 50, 50, 50, UNVERIFIED,
            "docs/reference/stm32.md §6: no observed value; ST Cube DFU template FLASH_ERASE_TIME/FLASH_PROGRAM_TIME 50 ms [U]");

    // ---- alt settings (docs/reference/stm32.md §3.2) ---------------------------------------------------------------------------

    static RomAltSetting alt(MemoryKind kind, String layout, Evidence evidence) {
        return new RomAltSetting(kind, layout, evidence);
    }

    static final String F4_FLASH_1M = "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg";

    /** F40x newer bootloader (bcdDevice 0x2200): option bytes, OTP and device feature typed 'e' ([O] R16-f407). */
    static List<RomAltSetting> f4Extras(String optionBytes, Evidence evidence) {
        return List.of(
                alt(MemoryKind.OPTION_BYTES, optionBytes, evidence),
                alt(MemoryKind.OTP, "@OTP Memory /0x1FFF7800/01*512 e,01*016 e", evidence),
                alt(MemoryKind.DEVICE_FEATURE, "@Device Feature/0xFFFF0000/01*004 e", evidence));
    }

    // ---- RAM (not in docs/reference: reference-manual memory maps, for the stack-pointer check) ----------

    static MemoryArea ram(String name, long address, int kb) {
        return new MemoryArea(name, address, (long) kb * K);
    }

    // ---- timing (docs/reference/stm32.md §4.3) ---------------------------------------------------------------------------------

    static TimeRange ms(double typ, double max, Evidence e, String source) {
        return TimeRange.ms(typ, max, e, source);
    }

    static final String F4_DS = "typical: F4 datasheet x32 values, not in docs/reference [U]; max: docs/reference/stm32.md §4.3 worst case"
            + " over parallelism and parts";

    static final TimeRange F4_PROGRAM = TimeRange.us(16, 100, UNVERIFIED,
            "docs/reference/stm32.md §4.3 F405 tPROG max 100 µs per word [U]; typical 16 µs assumed");

    // Maxima are the worst cases of docs/reference (worst-case simulation and the erase budget use them), not
    // the x32 figures: a board may run the flash at x8 (VDD < 2.1 V).
    static final List<FlashTiming.SectorErase> F4_ERASE = List.of(
            erase(16, ms(250, 800, UNVERIFIED, F4_DS + ": F411 tERASE16KB max 800 ms [U]")),
            erase(64, ms(550, 2400, UNVERIFIED, F4_DS + ": F411 tERASE64KB max 2400 ms [U]")),
            erase(128, ms(1000, 4000, UNVERIFIED, F4_DS + ": 128 KB max 4 s, zephyr [S] and F405 x8 [U]")));

    static final String F7_CAL = "typical calibrated so a sector-by-sector erase of 2 MB takes ≈9 s "
            + "(mboot on F765: 8-10 s, docs/reference/mboot.md §5.3) and a 32 KB erase ≈0.3 s (F745 ROM ≈350 ms incl. poll, docs/reference/stm32.md §4.3 [O]); "
            + "256 KB max 4 s [S] zephyr";

    static final List<FlashTiming.SectorErase> F7_ERASE = List.of(
            erase(16, ms(250, 500, UNVERIFIED, F7_CAL)),
            erase(32, ms(250, 500, UNVERIFIED, F7_CAL)),
            erase(64, ms(500, 1000, UNVERIFIED, F7_CAL)),
            erase(128, ms(700, 2000, UNVERIFIED, F7_CAL)),
            erase(256, ms(1100, 4000, UNVERIFIED, F7_CAL)));

    static final String H743_DS = "docs/reference/stm32.md §4.3 H743 DS12110 x32: tERASE128KB 1.1/2.2 s, tPROG 130/260 µs per flash word "
            + "[U, two transcriptions agree]; H745 ROM sector erase ≈1 s [O]";
}
