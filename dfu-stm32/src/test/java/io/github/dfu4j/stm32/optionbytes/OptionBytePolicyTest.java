package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.optionbytes.Review.Finding;
import io.github.dfu4j.ops.Confirmation;
import io.github.dfu4j.ops.Remedy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.stm32.optionbytes.Review.Finding.Kind;
import io.github.dfu4j.stm32.optionbytes.Review.Finding.Severity;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The option-byte interlocks as a pure function. */
class OptionBytePolicyTest {
    static final Set<Confirmation> NONE = Set.of();
    static final Set<Confirmation> FORCE = EnumSet.of(Confirmation.UNVERIFIED_LAYOUT, Confirmation.BOOT_LOCK, Confirmation.MASS_ERASE);
    static final Set<Confirmation> ALL = EnumSet.allOf(Confirmation.class);

    static OptionByteLayout layout(String chip) {
        return OptionByteLayouts.forChip(chip).orElseThrow();
    }

    static OptionByteReport factory(String chip) throws OptionByteFormatException {
        OptionByteLayout l = layout(chip);
        return l.decode(l.factoryDefaults(), "factory");
    }

    static OptionByteReport f0(String hex) throws OptionByteFormatException {
        return layout("stm32f072").decode(OptionByteImage.of(HexFormat.of().parseHex(hex)), "test");
    }

    static List<Kind> kinds(Review r) {
        return r.findings().stream().map(Finding::kind).toList();
    }

    static Finding finding(Review r, Kind kind) {
        return r.findings().stream().filter(f -> f.kind() == kind).findFirst().orElseThrow(() -> new AssertionError(kinds(r)));
    }

    @Test
    void writingTheSameValuesIsANoOp() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f072"), Map.of("BOOT_SEL", 1L));
        assertTrue(r.isNoOp());
        assertEquals(List.of(Kind.NO_CHANGE), kinds(r));
        assertTrue(r.changes().isEmpty());
        assertTrue(r.allowed(NONE));
    }

    @Test
    void anOrdinaryF0ChangeIsAllowedAndAnnouncesTheReset() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f072"), Map.of("DATA0", 0x42L));
        assertTrue(r.allowed(NONE));
        assertEquals(List.of(Kind.DEVICE_RESETS), kinds(r));
        assertEquals("writing the option bytes makes the ROM reset the chip: the USB device disconnects and comes back "
                + "(expected, not an error)", r.findings().get(0).message());
        assertEquals("DATA0 0xFF -> 0x42 (user data)", r.changes().get(0).toString());
    }

    @Test
    void clearingBootSelWithNBoot0ClearLocksTheF0InTheRomAndNeedsConfirmation() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f072"), Map.of("BOOT_SEL", 0L, "nBOOT0", 0L));
        assertFalse(r.allowed(NONE));
        Finding lock = finding(r, Kind.APPLICATION_NOT_BOOTED);
        assertEquals(Severity.NEEDS_CONFIRMATION, lock.severity());
        assertEquals(Confirmation.BOOT_LOCK, lock.needs().orElseThrow());
        assertEquals("after the reset the chip boots system memory (the ST ROM bootloader, DFU mode) even with BOOT0 low "
                + "(BOOT_SEL=0, nBOOT0=0, nBOOT1=1; the BOOT0 pin is ignored): "
                + "every reset and every DFU leave comes back in DFU mode and the application never runs", lock.message());
        assertEquals(Optional.of(new Remedy(Remedy.Kind.SET_OPTION_BYTES, List.of("BOOT_SEL=1"))), lock.remedy(),
                "the undo is a typed remedy, not text");
        assertTrue(lock.messageWithRemedy().endsWith("; to undo, set the option bytes BOOT_SEL=1"), lock.messageWithRemedy());
        assertEquals(List.of(lock), r.blocking(NONE), "the only blocker");
        assertTrue(r.allowed(EnumSet.of(Confirmation.BOOT_LOCK)));
        assertEquals(EnumSet.of(Confirmation.BOOT_LOCK), r.confirmationsNeeded());
        assertEquals(Severity.NEEDS_CONFIRMATION, r.findings().get(0).severity(), "blocking findings first");
    }

    @Test
    void clearingOnlyBootSelLeavesTheApplicationBootingButTheRomUnreachableByBoot0() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f072"), Map.of("BOOT_SEL", 0L));
        assertFalse(kinds(r).contains(Kind.APPLICATION_NOT_BOOTED));
        Finding rom = finding(r, Kind.ROM_NOT_REACHABLE);
        assertEquals(Confirmation.BOOT_LOCK, rom.needs().orElseThrow());
        assertTrue(rom.message().startsWith("after the reset BOOT0 high no longer enters the ROM bootloader: it boots main flash (the application) "
                + "(BOOT_SEL=0, nBOOT0=1; the BOOT0 pin is ignored): DFU mode is then reachable only from your application "
                + "or over SWD"), rom.message());
    }

    @Test
    void clearingNBoot1MakesBoot0HighBootSram() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f072"), Map.of("nBOOT1", 0L));
        assertTrue(finding(r, Kind.ROM_NOT_REACHABLE).message().contains("embedded SRAM"));
        assertFalse(r.allowed(NONE));
    }

    @Test
    void settingBootSelBackOnASeed004ChipIsAFixAndNeedsNoConfirmation() throws Exception {
        OptionByteReport trapped = f0("aa557788ff00ff00ff00ff00ff00ff00");
        Review r = OptionBytePolicy.review(trapped, Map.of("BOOT_SEL", 1L));
        assertTrue(r.allowed(NONE), r.findings().toString());
        assertTrue(finding(r, Kind.BOOT_SELECTION).message().startsWith("fixes the boot selection: with BOOT0 low the chip boots "
                + "the application again"));
        Review other = OptionBytePolicy.review(trapped, Map.of("DATA1", 1L));
        assertTrue(other.allowed(NONE), "an existing lock is reported, not re-confirmed");
        assertTrue(finding(other, Kind.BOOT_SELECTION).message().startsWith("still: after the reset the chip boots system memory"));
    }

    @Test
    void bootRepairFindsTheFewestFieldsToRestore() throws Exception {
        assertEquals(Map.of("BOOT_SEL", 1L), OptionBytePolicy.bootRepair(f0("aa557788ff00ff00ff00ff00ff00ff00")));
        assertEquals(Map.of(), OptionBytePolicy.bootRepair(factory("stm32f072")));
        // BOOT_SEL=0, nBOOT0=1, nBOOT1=0: the pin would boot SRAM even after BOOT_SEL=1, so nBOOT1 is needed too
        OptionByteReport sram = f0("aa556f90ff00ff00ff00ff00ff00ff00");
        assertEquals(0, sram.value("nBOOT1"));
        assertEquals(Map.of("BOOT_SEL", 1L, "nBOOT1", 1L), OptionBytePolicy.bootRepair(sram));
        OptionByteLayout f7 = layout("stm32f767");
        OptionByteReport swapped = f7.decode(f7.encode(f7.factoryDefaults(), Map.of("BOOT_ADD0", 0x40L, "BOOT_ADD1", 0x80L)), "t");
        assertEquals(Map.of("BOOT_ADD0", 0x80L, "BOOT_ADD1", 0x40L), OptionBytePolicy.bootRepair(swapped));
    }

    @Test
    void rdpLevel2NeedsItsOwnIrreversibleConfirmation() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f072"), Map.of("RDP", 0xCCL));
        Finding f = finding(r, Kind.READ_PROTECTION_PERMANENT);
        assertEquals(Confirmation.IRREVERSIBLE_RDP_LEVEL_2, f.needs().orElseThrow());
        assertTrue(f.message().startsWith("RDP level 2 (0xCC) is irreversible"));
        assertFalse(r.allowed(FORCE), "--force alone does not allow level 2");
        assertTrue(r.allowed(EnumSet.of(Confirmation.IRREVERSIBLE_RDP_LEVEL_2)));
    }

    @Test
    void aChipAtLevel2CannotBeChangedAtAll() throws Exception {
        Review r = OptionBytePolicy.review(f0("cc33ff00ff00ff00ff00ff00ff00ff00"), Map.of("DATA0", 1L));
        assertEquals(Severity.IMPOSSIBLE, finding(r, Kind.LOCKED_AT_LEVEL_2).severity());
        assertFalse(r.allowed(ALL));
    }

    @Test
    void rdpLevel1To0SpellsOutTheMassErase() throws Exception {
        Review r = OptionBytePolicy.review(f0("bb44ff00ff00ff00ff00ff00ff00ff00"), Map.of("RDP", 0xAAL));
        Finding f = finding(r, Kind.READ_PROTECTION_OFF_MASS_ERASE);
        assertEquals("RDP level 1 -> 0 makes the chip mass-erase its whole flash before it unlocks: firmware and data in flash "
                + "are lost", f.message());
        assertEquals(Confirmation.MASS_ERASE, f.needs().orElseThrow());
        assertFalse(r.allowed(NONE));
        assertTrue(r.allowed(EnumSet.of(Confirmation.MASS_ERASE)));
    }

    @Test
    void rdpLevel1NeedsItsOwnConfirmationAndSaysUndoingItErasesTheFlash() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f072"), Map.of("RDP", 0xBBL));
        assertFalse(r.allowed(NONE));
        assertEquals(Set.of(Confirmation.READ_PROTECTION_ON), r.confirmationsNeeded());
        assertTrue(r.allowed(EnumSet.of(Confirmation.READ_PROTECTION_ON)));
        assertTrue(finding(r, Kind.READ_PROTECTION_ON).message().contains("erases the whole flash"));
        Review otherLevel1Byte = OptionBytePolicy.review(f0("bb44ff00ff00ff00ff00ff00ff00ff00"), Map.of("RDP", 0x12L));
        assertFalse(kinds(otherLevel1Byte).contains(Kind.READ_PROTECTION_ON), "1 -> 1 is no level change");
    }

    @Test
    void unverifiedLayoutsNeedTheOverrideForAnyWrite() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f405"), Map.of("WDG_SW", 0L));
        Finding f = finding(r, Kind.UNVERIFIED_LAYOUT);
        assertEquals(Confirmation.UNVERIFIED_LAYOUT, f.needs().orElseThrow());
        assertTrue(f.message().startsWith("the STM32F4 option-byte layout is unverified [U]"), f.message());
        assertFalse(r.allowed(NONE));
        assertTrue(r.allowed(EnumSet.of(Confirmation.UNVERIFIED_LAYOUT)));
        assertTrue(OptionBytePolicy.review(factory("stm32h743"), Map.of("RDP", 0x55L)).confirmationsNeeded()
                .contains(Confirmation.UNVERIFIED_LAYOUT));
    }

    @Test
    void f7BootAddressIntoTheRomIsALock() throws Exception {
        Review r = OptionBytePolicy.review(factory("stm32f746"), Map.of("BOOT_ADD0", 0x0040L));
        Finding f = finding(r, Kind.APPLICATION_NOT_BOOTED);
        assertTrue(f.message().contains("BOOT0 pin low, BOOT_ADD0=0x40 → 0x00100000, system memory on ITCM"), f.message());
        assertEquals(List.of("BOOT_ADD0=0x80"), f.remedy().orElseThrow().values());
        assertEquals(EnumSet.of(Confirmation.BOOT_LOCK, Confirmation.UNVERIFIED_LAYOUT), r.confirmationsNeeded());
        Review h7 = OptionBytePolicy.review(factory("stm32h743"), Map.of("BOOT_ADD1", 0x0800L));
        assertTrue(kinds(h7).contains(Kind.ROM_NOT_REACHABLE), "BOOT0 high would boot flash");
    }

    @Test
    void complementErrorsAreRepairedAndSaidSo() throws Exception {
        OptionByteReport broken = f0("aa55ff01ff00ff00ff00ff00ff00ff00");
        Review r = OptionBytePolicy.review(broken, Map.of("DATA0", 0xFFL));
        assertTrue(kinds(r).contains(Kind.COMPLEMENTS_REPAIRED));
        assertEquals(0x00, r.proposed().image().byteAt(0, 3));
        assertTrue(r.allowed(NONE));
    }

    // ---- bank-boot bits the boot models ignore ---------------------------------------------------------------

    static final Set<Confirmation> LAYOUT_ONLY = EnumSet.of(Confirmation.UNVERIFIED_LAYOUT);
    static final Set<Confirmation> LAYOUT_AND_BOOT_LOCK = EnumSet.of(Confirmation.UNVERIFIED_LAYOUT, Confirmation.BOOT_LOCK);

    static OptionByteReport with(String chip, Map<String, Long> values) throws OptionByteFormatException {
        OptionByteLayout l = layout(chip);
        return l.decode(l.encode(l.factoryDefaults(), values), "test");
    }

    @Test
    void settingBfb2NeedsTheBootLockConfirmationAndSaysWhatBootsThen() throws Exception {
        OptionByteReport f429 = factory("stm32f429");
        assertEquals(0, f429.value("BFB2"), "shipped with single-bank boot");
        Review r = OptionBytePolicy.review(f429, Map.of("BFB2", 1L));
        Finding f = finding(r, Kind.BANK_BOOT);
        assertEquals(Confirmation.BOOT_LOCK, f.needs().orElseThrow());
        assertTrue(f.message().startsWith("BFB2=1 (F42x dual-bank boot): at reset the ROM's boot code starts bank 2 (0x08100000)"
                + " if it holds a valid stack pointer, else bank 1 [U"), f.message());
        assertTrue(f.message().contains("whether BOOT0 high still reaches the DFU bootloader while a bank holds valid code is not"
                + " known here [U]"), f.message());
        assertTrue(f.message().endsWith("dfu4j cannot see what the banks hold: make sure the bank that will boot holds your"
                + " application"), f.message());
        assertFalse(r.allowed(LAYOUT_ONLY), "--force alone does not write it");
        assertTrue(r.allowed(LAYOUT_AND_BOOT_LOCK));
        // the pin-only boot model still says bank 1 / ROM: the finding is the only warning
        assertFalse(kinds(r).contains(Kind.APPLICATION_NOT_BOOTED));
        assertFalse(kinds(r).contains(Kind.ROM_NOT_REACHABLE));
    }

    @Test
    void clearingBfb2IsConfirmedToo_andABfb2LeftOnIsReported() throws Exception {
        OptionByteReport dualBoot = with("stm32f429", Map.of("BFB2", 1L));
        Review off = OptionBytePolicy.review(dualBoot, Map.of("BFB2", 0L));
        Finding f = finding(off, Kind.BANK_BOOT);
        assertEquals(Confirmation.BOOT_LOCK, f.needs().orElseThrow(), "bank 1 may be empty: the policy cannot tell");
        assertTrue(f.message().startsWith("BFB2=0: the chip boots bank 1 (0x08000000) again; an application that lives only"
                + " in bank 2 no longer starts"), f.message());

        Review other = OptionBytePolicy.review(dualBoot, Map.of("WDG_SW", 0L));
        Finding still = finding(other, Kind.BANK_BOOT);
        assertEquals(Severity.INFO, still.severity());
        assertTrue(still.message().startsWith("still: BFB2=1"), still.message());
        assertTrue(other.allowed(LAYOUT_ONLY), "an existing setting is reported, not re-confirmed");
    }

    @Test
    void enablingF76xDualBootNeedsTheBootLockConfirmation() throws Exception {
        OptionByteReport f767 = factory("stm32f767");
        assertEquals(1, f767.value("nDBOOT"), "shipped with dual boot off");
        Review r = OptionBytePolicy.review(f767, Map.of("nDBOOT", 0L));
        Finding f = finding(r, Kind.BANK_BOOT);
        assertEquals(Confirmation.BOOT_LOCK, f.needs().orElseThrow());
        assertTrue(f.message().startsWith("nDBOOT=0 (F76x dual boot, effective in dual-bank mode nDBANK=0 [U])"), f.message());
        assertTrue(f.message().contains("dfu4j's boot model evaluates BOOT_ADD0/BOOT_ADD1 only"), f.message());
        assertFalse(r.allowed(LAYOUT_ONLY));
        assertTrue(r.allowed(LAYOUT_AND_BOOT_LOCK));
        Review back = OptionBytePolicy.review(with("stm32f767", Map.of("nDBOOT", 0L)), Map.of("nDBOOT", 1L));
        assertTrue(finding(back, Kind.BANK_BOOT).message().startsWith("nDBOOT=1: dual boot off"));
    }

    @Test
    void swappingTheH7BanksWarnsOfAnEmptyBank2AndNeedsTheBootLockConfirmation() throws Exception {
        OptionByteReport h743 = factory("stm32h743");
        assertEquals(0, h743.value("SWAP_BANK_OPT"));
        Review r = OptionBytePolicy.review(h743, Map.of("SWAP_BANK_OPT", 1L));
        Finding f = finding(r, Kind.BANK_BOOT);
        assertEquals(Confirmation.BOOT_LOCK, f.needs().orElseThrow());
        assertTrue(f.message().startsWith("SWAP_BANK_OPT=1: after the reset bank 2 is mapped at 0x08000000 and bank 1 at"
                + " 0x08100000, so BOOT0 low (BOOT_ADD0) boots whatever bank 2 holds: with an empty bank 2 the chip boots"
                + " into nothing"), f.message());
        assertEquals(EnumSet.of(Confirmation.BOOT_LOCK, Confirmation.UNVERIFIED_LAYOUT), r.confirmationsNeeded());
        Review unswap = OptionBytePolicy.review(with("stm32h743", Map.of("SWAP_BANK_OPT", 1L)), Map.of("SWAP_BANK_OPT", 0L));
        assertEquals(Confirmation.BOOT_LOCK, finding(unswap, Kind.BANK_BOOT).needs().orElseThrow());
        assertTrue(OptionBytePolicy.review(h743, Map.of("SWAP_BANK_OPT", 1L)).blocking(LAYOUT_ONLY).stream()
                .anyMatch(x -> x.kind() == Kind.BANK_BOOT));
    }

    @Test
    void layoutsWithoutABankBootBitNeverGetTheFinding() throws Exception {
        for (String chip : List.of("stm32f072", "stm32f405", "stm32f446", "stm32f722", "stm32f746", "stm32h723")) {
            Review r = OptionBytePolicy.review(factory(chip), Map.of("RDP", 0x55L));
            assertFalse(kinds(r).contains(Kind.BANK_BOOT), chip + ": " + kinds(r));
        }
        // and the factory state of the layouts that have one is "off": no finding for unrelated writes
        for (String chip : List.of("stm32f429", "stm32f767", "stm32h743", "stm32h7a3")) {
            Review r = OptionBytePolicy.review(factory(chip), Map.of("RDP", 0x55L));
            assertFalse(kinds(r).contains(Kind.BANK_BOOT), chip + ": " + kinds(r));
        }
    }
}
