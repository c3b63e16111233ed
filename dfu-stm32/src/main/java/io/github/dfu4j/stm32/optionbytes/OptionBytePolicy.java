package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.optionbytes.Finding.Kind;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The interlocks for option-byte writes, as a pure function from (current, proposed) to a
 * {@link Review}: no I/O, no device.
 *
 * <ul>
 *   <li>RDP level 2 (0xCC) is irreversible: needs {@link Confirmation#IRREVERSIBLE_RDP_LEVEL_2}. A
 *       chip already at level 2 cannot be changed at all.</li>
 *   <li>RDP level 1 → 0 mass-erases the flash: needs {@link Confirmation#MASS_ERASE}.</li>
 *   <li>A boot selection that makes BOOT0-low reset start something other than the application
 *       (F0: BOOT_SEL=0 with nBOOT0=0, seed 004; F7/H7: BOOT_ADD0 pointing at the ROM), or that stops
 *       BOOT0-high from reaching the ROM bootloader: needs {@link Confirmation#BOOT_LOCK}.</li>
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
            out.add(Finding.info(Kind.READ_PROTECTION_ON, "RDP level 1: after the reset the ROM refuses reads, erases and "
                    + "writes (errVENDOR); only `dfu unprotect --force` undoes it, and that mass-erases the flash"));
        }
    }

    private static void boot(OptionByteLayout layout, OptionByteReport current, OptionByteReport proposed, List<Finding> out) {
        BootModel model = layout.boot();
        BootTarget lowBefore = model.target(current, false);
        BootTarget lowAfter = model.target(proposed, false);
        BootTarget highBefore = model.target(current, true);
        BootTarget highAfter = model.target(proposed, true);
        String fix = fixHint(layout, proposed);
        if (lowAfter != BootTarget.MAIN_FLASH) {
            String what = "after the reset the chip boots " + lowAfter.description() + " even with BOOT0 low ("
                    + model.explain(proposed, false) + ")";
            if (lowAfter == BootTarget.SYSTEM_MEMORY) {
                what += ": every reset and every DFU leave comes back in DFU mode and the application never runs";
            } else {
                what += ": the application never runs";
            }
            if (lowBefore == BootTarget.MAIN_FLASH) {
                out.add(Finding.needs(Kind.APPLICATION_NOT_BOOTED, Confirmation.BOOT_LOCK, what + fix));
            } else {
                out.add(Finding.info(Kind.BOOT_SELECTION, "still: " + what + fix));
            }
        } else if (lowBefore != BootTarget.MAIN_FLASH) {
            out.add(Finding.info(Kind.BOOT_SELECTION, "fixes the boot selection: with BOOT0 low the chip boots the "
                    + "application again (" + model.explain(proposed, false) + ")"));
        }
        if (highAfter != BootTarget.SYSTEM_MEMORY && highBefore == BootTarget.SYSTEM_MEMORY) {
            out.add(Finding.needs(Kind.ROM_NOT_REACHABLE, Confirmation.BOOT_LOCK, "after the reset BOOT0 high no longer "
                    + "enters the ROM bootloader: it boots " + highAfter.description() + " (" + model.explain(proposed, true)
                    + "): DFU mode is then reachable only from your application or over SWD" + fix));
        }
    }

    /** "; to undo: dfu option-bytes set BOOT_SEL=1", from {@link #bootRepair}. */
    private static String fixHint(OptionByteLayout layout, OptionByteReport proposed) {
        Map<String, Long> repair = bootRepair(proposed);
        if (repair.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner(" ");
        repair.forEach((name, value) -> j.add(name + "=" + layout.field(name).orElseThrow().format(value)));
        return "; to undo: dfu option-bytes set " + j;
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
}
