package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.ops.WriteRequest;
import io.github.dfu4j.ops.WriteFinding;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.stm32.optionbytes.Review.Finding;
import io.github.dfu4j.stm32.optionbytes.Review.FieldChange;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport.FieldReading;
import io.github.dfu4j.ops.Confirmation;
import io.github.dfu4j.ops.Remedy;

import io.github.dfu4j.stm32.optionbytes.Review.Finding.Kind;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The interlocks for option-byte writes, as a pure function from (current, proposed) to a
 * {@link Review}: no I/O, no device.
 *
 * <ul>
 *   <li>RDP level 2 (0xCC) is irreversible: needs {@link Confirmation#IRREVERSIBLE_RDP_LEVEL_2}. A
 *       chip already at level 2 cannot be changed at all.</li>
 *   <li>RDP level 1 → 0 mass-erases the flash: needs {@link Confirmation#MASS_ERASE}.</li>
 *   <li>RDP level 0 → 1 turns read protection on, and undoing it erases the whole flash: needs
 *       {@link Confirmation#READ_PROTECTION_ON}.</li>
 *   <li>A boot selection that makes BOOT0-low reset start something other than the application
 *       (F0: BOOT_SEL=0 with nBOOT0=0, docs/troubleshooting.md 004; F7/H7: BOOT_ADD0 pointing at the ROM), or that stops
 *       BOOT0-high from reaching the ROM bootloader: needs {@link Confirmation#BOOT_LOCK}.</li>
 *   <li>Changing a bank-boot bit the boot models ignore (F42x BFB2, F76x nDBOOT, H7 SWAP_BANK_OPT), in
 *       either direction: needs {@link Confirmation#BOOT_LOCK}, because which bank then boots depends on
 *       what the banks hold (an empty or stale bank can boot into nothing), and dfu4j cannot see that. A
 *       bit left on is reported.</li>
 *   <li>Any write to an unverified layout: needs {@link Confirmation#UNVERIFIED_LAYOUT}.</li>
 *   <li>Every write resets the chip (AN2662: "Destination == Option Bytes? → System Reset"); that
 *       is reported as expected, not as a failure.</li>
 * </ul>
 *
 * <pre>{@code
 * Review r = OptionBytePolicy.review(current, Map.of("BOOT_SEL", 0L));
 * if (!r.allowed(EnumSet.noneOf(Confirmation.class))) r.blocking(Set.of()).forEach(f -> System.err.println(f.message()));
 * }</pre>
 */
public final class OptionBytePolicy {
    private OptionBytePolicy() {
    }

    /** Reviews setting {@code values} on top of {@code current}. */
    public static Review review(OptionByteReport current, Map<String, Long> values) {
        OptionByteLayout layout = current.layout();
        OptionByteImage after = layout.encode(current.image(), values);
        return review(current, decodeOwn(layout, after));
    }

    static OptionByteReport decodeOwn(OptionByteLayout layout, OptionByteImage image) {
        try {
            return layout.decode(image, layout.chipId() + " encoded image");
        } catch (OptionByteFormatException e) {
            throw new UncheckedIOException(e); // encode keeps the shape: cannot happen
        }
    }

    /** Reviews writing {@code proposed} over {@code current} (same layout). */
    public static Review review(OptionByteReport current, OptionByteReport proposed) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(proposed, "proposed");
        if (!current.layout().equals(proposed.layout())) {
            throw new IllegalArgumentException("current and proposed option bytes use different layouts");
        }
        OptionByteLayout layout = current.layout();
        List<FieldChange> changes = new ArrayList<>();
        for (int i = 0; i < current.fields().size(); i++) {
            FieldReading a = current.fields().get(i);
            FieldReading b = proposed.fields().get(i);
            if (a.value() != b.value()) {
                changes.add(new FieldChange(a.field(), a.value(), b.value()));
            }
        }
        List<Finding> findings = new ArrayList<>();
        if (current.image().equals(proposed.image())) {
            findings.add(Finding.info(Kind.NO_CHANGE, "the option bytes already have these values; nothing to write"));
            return new Review(current, proposed, changes, findings);
        }
        rdp(current, proposed, findings);
        boot(layout, current, proposed, findings);
        bankBoot(layout, current, proposed, findings);
        if (!layout.writesVerified()) {
            findings.add(Finding.needs(Kind.UNVERIFIED_LAYOUT, Confirmation.UNVERIFIED_LAYOUT,
                    "the " + layout.family() + " option-byte layout is unverified [U]: " + layout.evidenceNote()
                            + "; a wrong layout writes wrong bits"));
        }
        if (!current.complementsValid()) {
            findings.add(Finding.info(Kind.COMPLEMENTS_REPAIRED, "the current option bytes have complement errors ("
                    + current.complementErrors() + "); the write stores matching complements"));
        }
        findings.add(Finding.info(Kind.DEVICE_RESETS, "writing the option bytes makes the ROM reset the chip: the USB device "
                + "disconnects and comes back (expected, not an error)"));
        findings.sort(Comparator.comparing(Finding::severity).reversed());
        return new Review(current, proposed, changes, findings);
    }

    private static void rdp(OptionByteReport current, OptionByteReport proposed, List<Finding> out) {
        int from = current.rdpLevel();
        int to = proposed.rdpLevel();
        if (from == 2) {
            out.add(Finding.impossible(Kind.LOCKED_AT_LEVEL_2, "the chip is at RDP level 2 (0xCC): its option bytes can never "
                    + "be changed again"));
            return;
        }
        if (to == 2) {
            out.add(Finding.needs(Kind.READ_PROTECTION_PERMANENT, Confirmation.IRREVERSIBLE_RDP_LEVEL_2,
                    "RDP level 2 (0xCC) is irreversible: debug access and the ROM bootloader (this DFU connection) are "
                            + "disabled for good, and the option bytes can never be changed again"));
        } else if (from == 1 && to == 0) {
            out.add(Finding.needs(Kind.READ_PROTECTION_OFF_MASS_ERASE, Confirmation.MASS_ERASE,
                    "RDP level 1 -> 0 makes the chip mass-erase its whole flash before it unlocks: firmware and data "
                            + "in flash are lost"));
        } else if (from == 0 && to == 1) {
            out.add(Finding.needs(Kind.READ_PROTECTION_ON, Confirmation.READ_PROTECTION_ON, "RDP level 1 turns read"
                    + " protection on: after the reset the ROM refuses reads, erases and writes (errVENDOR), and undoing it"
                    + " (READ_UNPROTECT, or RDP back to level 0) erases the whole flash"));
        }
    }

    private static void boot(OptionByteLayout layout, OptionByteReport current, OptionByteReport proposed, List<Finding> out) {
        BootModel model = layout.boot();
        BootTarget lowBefore = model.target(current, false);
        BootTarget lowAfter = model.target(proposed, false);
        BootTarget highBefore = model.target(current, true);
        BootTarget highAfter = model.target(proposed, true);
        Optional<Remedy> fix = undo(layout, proposed);
        if (lowAfter != BootTarget.MAIN_FLASH) {
            String what = "after the reset the chip boots " + lowAfter.description() + " even with BOOT0 low ("
                    + model.explain(proposed, false) + ")";
            if (lowAfter == BootTarget.SYSTEM_MEMORY) {
                what += ": every reset and every DFU leave comes back in DFU mode and the application never runs";
            } else {
                what += ": the application never runs";
            }
            if (lowBefore == BootTarget.MAIN_FLASH) {
                out.add(Finding.needs(Kind.APPLICATION_NOT_BOOTED, Confirmation.BOOT_LOCK, what, fix));
            } else {
                out.add(Finding.info(Kind.BOOT_SELECTION, "still: " + what, fix));
            }
        } else if (lowBefore != BootTarget.MAIN_FLASH) {
            out.add(Finding.info(Kind.BOOT_SELECTION, "fixes the boot selection: with BOOT0 low the chip boots the "
                    + "application again (" + model.explain(proposed, false) + ")"));
        }
        if (highAfter != BootTarget.SYSTEM_MEMORY && highBefore == BootTarget.SYSTEM_MEMORY) {
            out.add(Finding.needs(Kind.ROM_NOT_REACHABLE, Confirmation.BOOT_LOCK, "after the reset BOOT0 high no longer "
                    + "enters the ROM bootloader: it boots " + highAfter.description() + " (" + model.explain(proposed, true)
                    + "): DFU mode is then reachable only from your application or over SWD", fix));
        }
    }

    /**
     * A bank-boot option bit: what it means when on and when off. docs/reference/stm32.md §4.4 has only the bit
     * positions ([V] CMSIS); the boot behaviour is the reference manuals' as far as known here, hence the
     * [U] marks in the messages.
     *
     * @param field  the layout's field name
     * @param on     the value that turns the feature on
     * @param whenOn what booting does with the feature on
     * @param whenOff what changes when it goes off
     */
    private record BankBootBit(String field, long on, String whenOn, String whenOff) {
    }

    private static final List<BankBootBit> BANK_BOOT_BITS = List.of(
            new BankBootBit("BFB2", 1,
                    "BFB2=1 (F42x dual-bank boot): at reset the ROM's boot code starts bank 2 (0x08100000) if it holds a"
                            + " valid stack pointer, else bank 1 [U: RM0090/AN2606, not in docs/reference]; stale code or data"
                            + " in bank 2 then runs instead of the application at 0x08000000, and whether BOOT0 high still"
                            + " reaches the DFU bootloader while a bank holds valid code is not known here [U]",
                    "BFB2=0: the chip boots bank 1 (0x08000000) again; an application that lives only in bank 2 no longer"
                            + " starts"),
            new BankBootBit("nDBOOT", 0,
                    "nDBOOT=0 (F76x dual boot, effective in dual-bank mode nDBANK=0 [U]): the chip may boot from either"
                            + " bank depending on what they hold instead of only the BOOT_ADD0 address [U: RM0410, not in"
                            + "docs/reference]; dfu4j's boot model evaluates BOOT_ADD0/BOOT_ADD1 only",
                    "nDBOOT=1: dual boot off; BOOT_ADD0/BOOT_ADD1 alone decide again, as dfu4j's boot model assumes; an"
                            + " application that was started from bank 2 by dual boot no longer starts"),
            new BankBootBit("SWAP_BANK_OPT", 1,
                    "SWAP_BANK_OPT=1: after the reset bank 2 is mapped at 0x08000000 and bank 1 at 0x08100000, so BOOT0"
                            + " low (BOOT_ADD0) boots whatever bank 2 holds: with an empty bank 2 the chip boots into nothing"
                            + " (how the ROM's DFU addresses map while swapped is not known here [U]); BOOT0 high still boots"
                            + " the BOOT_ADD1 address (the ROM bootloader as shipped)",
                    "SWAP_BANK_OPT=0: bank 1 is mapped at 0x08000000 again, so BOOT0 low boots whatever bank 1 holds; an"
                            + " application written while the banks were swapped sits in bank 2 and no longer starts; BOOT0 high"
                            + " still boots the BOOT_ADD1 address"));

    private static void bankBoot(OptionByteLayout layout, OptionByteReport current, OptionByteReport proposed, List<Finding> out) {
        for (BankBootBit b : BANK_BOOT_BITS) {
            if (layout.field(b.field()).isEmpty()) {
                continue;
            }
            boolean onBefore = current.value(b.field()) == b.on();
            boolean onAfter = proposed.value(b.field()) == b.on();
            if (onBefore != onAfter) {
                // a pure function of the option bytes cannot see what the banks hold, so either direction may
                // leave BOOT0 low booting an empty or stale bank: confirmed like the other boot locks
                out.add(Finding.needs(Kind.BANK_BOOT, Confirmation.BOOT_LOCK, (onAfter ? b.whenOn() : b.whenOff())
                        + "; dfu4j cannot see what the banks hold: make sure the bank that will boot holds your application"));
            } else if (onAfter) {
                out.add(Finding.info(Kind.BANK_BOOT, "still: " + b.whenOn()));
            }
        }
    }

    /** {@link Remedy.Kind#SET_OPTION_BYTES} with {@link #bootRepair}'s fields (e.g. BOOT_SEL=1); empty when none are needed. */
    private static Optional<Remedy> undo(OptionByteLayout layout, OptionByteReport proposed) {
        Map<String, Long> repair = bootRepair(proposed);
        if (repair.isEmpty()) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        repair.forEach((name, value) -> fields.add(name + "=" + layout.field(name).orElseThrow().format(value)));
        return Optional.of(new Remedy(Remedy.Kind.SET_OPTION_BYTES, fields));
    }

    /**
     * The fewest boot fields to set back to their factory values so that BOOT0 low boots the
     * application and BOOT0 high the ROM bootloader again; empty when that already holds.
     *
     * <pre>{@code
     * bootRepair(seed004State)   // {BOOT_SEL=1}
     * }</pre>
     */
    public static Map<String, Long> bootRepair(OptionByteReport report) {
        OptionByteLayout layout = report.layout();
        BootModel model = layout.boot();
        if (bootsAsShipped(model, report)) {
            return Map.of();
        }
        OptionByteReport factory = decodeOwn(layout, layout.factoryDefaults());
        List<String> differing = new ArrayList<>();
        for (String f : model.fields()) {
            if (factory.value(f) != report.value(f)) {
                differing.add(f);
            }
        }
        // smallest subsets first; boot models use at most a handful of fields
        for (int size = 1; size <= differing.size(); size++) {
            for (int mask = 0; mask < 1 << differing.size(); mask++) {
                if (Integer.bitCount(mask) != size) {
                    continue;
                }
                Map<String, Long> candidate = new java.util.LinkedHashMap<>();
                for (int i = 0; i < differing.size(); i++) {
                    if ((mask >> i & 1) != 0) {
                        candidate.put(differing.get(i), factory.value(differing.get(i)));
                    }
                }
                if (bootsAsShipped(model, decodeOwn(layout, layout.encode(report.image(), candidate)))) {
                    return candidate;
                }
            }
        }
        return Map.of(); // the boot fields are factory already: the pin model itself cannot do better
    }

    private static boolean bootsAsShipped(BootModel model, OptionByteReport r) {
        return model.target(r, false) == BootTarget.MAIN_FLASH && model.target(r, true) == BootTarget.SYSTEM_MEMORY;
    }

    /**
     * The write gate's rules for option bytes: the findings for {@code request}'s option-byte writes
     * through any operation (a DfuSe target, FILE@ADDR, a raw write to the alt setting), decoded over the
     * current option bytes ({@code reader}) and reviewed like {@link #review} reviews a change by field.
     * None when the request writes no option bytes or the chip's option-byte layout is unknown (the gate
     * then asks for the unverified-layout confirmation).
     *
     * @throws DfuException when the current option bytes cannot be read
     */
    public static List<WriteFinding> reviewWrites(WriteRequest request, WriteRequest.Reader reader) throws DfuException {
        return OptionByteWrites.review(request, reader);
    }
}
