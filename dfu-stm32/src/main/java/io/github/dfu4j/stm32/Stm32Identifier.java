package io.github.dfu4j.stm32;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.DfuRom;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.RomAltSetting;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.stm32.internal.Stm32Quirks;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Tells what is behind a DFU interface from what the transport already knows (device descriptor and
 * strings, alternate-setting strings, functional descriptor), without sending a request:
 * an ST ROM bootloader of which line, mboot on which board, or another DFU/DfuSe device.
 * Package-private: callers start from {@link Identification#identify(DfuTransport)}.
 *
 * <p>Rules (data, not code): the ROM-signature rows (vid, pid, manufacturer, product pattern,
 * bcdDevice to kind and leave mode) say whether a DfuSe device is an ST ROM (VID 0483, PID DF11 with
 * ST's manufacturer or one of the ROM product strings) or MicroPython mboot ("MicroPython" / "Pyboard
 * DFU", or bcdDevice 0x0300 with SPI zones); anything else DfuSe gets the generic profile. An ST ROM's
 * line is the chip profile of {@link Stm32Profiles} whose alt-setting strings match best (alt 0 must
 * describe one of the chip's flash maps; product, bcdDevice and the other alt strings add weight); an
 * unlisted line leaves as its signature row says. An mboot board is the one whose layout string matches.
 */
final class Stm32Identifier {
    /** Attached to an identification whose warnings say only a device ID can decide the line. */
    private static final Remedy ASK_DEVICE_ID = Remedy.of(Remedy.Kind.DEVICE_ID);

    private Stm32Identifier() {
    }

    /** What {@link Identification#identify(DeviceInfo, List, byte[], OptionalInt)} runs. */
    static Identification identify(DeviceInfo device, List<AltSetting> alts, byte[] functionalDescriptor, OptionalInt deviceId) {
        return new Run(device, alts, functionalDescriptor, deviceId).identify();
    }

    /** One identification: the facts and what was concluded. */
    private static final class Run {
        final DeviceInfo info;
        final List<AltSetting> alts;
        final byte[] fdBytes;
        final OptionalInt deviceId;
        final List<String> evidence = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<Remedy> remedies = new ArrayList<>();
        final Map<Integer, MemoryLayout> layouts = new LinkedHashMap<>();
        final List<String> strings = new ArrayList<>();

        Run(DeviceInfo info, List<AltSetting> alts, byte[] fdBytes, OptionalInt deviceId) {
            this.info = info;
            this.alts = List.copyOf(alts);
            this.fdBytes = fdBytes.clone();
            this.deviceId = deviceId;
        }

        private FunctionalDescriptor functional() {
            try {
                return FunctionalDescriptor.parse(fdBytes, info.vidPid() + " functional descriptor");
            } catch (DfuException e) { // FunctionalDescriptor.parse: a PROTOCOL failure
                return null;
            }
        }

        Identification identify() {
            evidence.add("USB " + info.vidPid() + ", bcdDevice 0x" + hex(info.bcdDevice() & 0xFFFFFFFFL, 4) + ", manufacturer \""
                    + info.manufacturer() + "\", product \"" + info.product() + "\"");
            deviceId.ifPresent(id -> evidence.add(String.format("device ID 0x%03x given by the caller", id)));
            if (!info.dfuMode()) {
                warnings.add("the interface is in run-time (application) mode: detach into DFU mode first");
                return generic(Identification.Kind.UNKNOWN);
            }
            FunctionalDescriptor fd;
            try {
                fd = FunctionalDescriptor.parse(fdBytes, info.vidPid() + " functional descriptor");
            } catch (DfuException e) { // FunctionalDescriptor.parse: a PROTOCOL failure
                warnings.add("no usable DFU functional descriptor: " + e.getMessage());
                return generic(Identification.Kind.UNKNOWN);
            }
            // concatenated, not String.format: a %d conversion loads the locale's number symbols (CLDR), some
            // 5 ms of CPU on a cold JVM before the first request (issue 11)
            evidence.add("functional descriptor: bcdDFU 0x" + hex(fd.bcdDfu(), 4) + (fd.isDfuse() ? " (DfuSe)" : "")
                    + ", wTransferSize " + fd.transferSize() + ", bmAttributes 0x" + hex(fd.attributes(), 2));
            for (AltSetting a : alts) {
                String s = DescriptorStrings.clean(a.name());
                strings.add(s);
                if (s.stripLeading().startsWith("@")) {
                    try {
                        layouts.put(a.altSetting(), MemoryLayout.parse(s, "alt " + a.altSetting()));
                    } catch (LayoutFormatException e) {
                        warnings.add("alt " + a.altSetting() + " layout not understood: " + e.getMessage());
                    }
                }
            }
            if (!fd.isDfuse()) {
                return generic(Identification.Kind.PLAIN_DFU);
            }
            Optional<RomSignatures.Row> signature = RomSignatures.match(info, hasSpiZones());
            if (signature.isEmpty()) {
                evidence.add("neither ST's ROM strings nor MicroPython's: another DfuSe bootloader");
                return generic(Identification.Kind.OTHER_DFUSE);
            }
            evidence.add(signature.get().evidence());
            return signature.get().kind() == Identification.Kind.MBOOT ? mboot() : stRom(signature.get().leave());
        }

        private Identification generic(Identification.Kind kind) {
            return new Identification(kind, "", DeviceProfile.generic(), Optional.empty(), Optional.empty(), Set.of(),
                    info, evidence, warnings);
        }

        // ------------------------------------------------------------------ mboot

        /** One alt setting with zones at 0x80000000/0x90000000: mboot's external SPI flash. */
        private boolean hasSpiZones() {
            return layouts.size() == 1 && layouts.values().iterator().next().regions().stream()
                    .anyMatch(r -> r.start() == 0x8000_0000L || r.start() == 0x9000_0000L);
        }

        private Identification mboot() {
            String alt0 = strings.isEmpty() ? "" : strings.get(0);
            List<MbootBoard> exact = Stm32Profiles.mbootBoards().stream().filter(b -> b.layout().equals(alt0)).toList();
            MbootBoard board;
            String line;
            if (!exact.isEmpty()) {
                board = exact.get(0);
                line = exact.size() == 1 ? board.board()
                        : String.join(" or ", exact.stream().map(MbootBoard::board).toList());
                evidence.add("layout string is " + exact.stream().map(MbootBoard::id).toList() + "'s exactly");
                if (exact.size() > 1) {
                    evidence.add("boards " + exact.stream().map(MbootBoard::id).toList() + " report identical strings and"
                            + " behave identically (same flash map, same mboot build), so the " + board.id()
                            + " profile is used");
                }
            } else {
                Optional<MbootBoard> sameInternal = Stm32Profiles.mbootBoards().stream()
                        .filter(b -> DescriptorStrings.firstZone(b.layout()).equals(DescriptorStrings.firstZone(alt0))).findFirst();
                if (sameInternal.isEmpty()) {
                    warnings.add("mboot on a board dfu4j has no table for (layout \"" + alt0 + "\"): its internal-flash"
                            + " zone may over-claim (mboot reports a fixed string per MCU family); no layout correction");
                    Stm32DeviceProfile p = Stm32DeviceProfiles.unknownMboot();
                    return new Identification(Identification.Kind.MBOOT, "", p, Optional.empty(), Optional.empty(), Set.of(),
                            info, evidence, warnings);
                }
                board = sameInternal.get();
                line = board.board();
                warnings.add("the internal-flash zone matches " + board.id() + " but the external zones differ from its"
                        + " table (" + alt0 + "); using " + board.id() + " for the internal flash");
            }
            Stm32DeviceProfile p = Stm32DeviceProfiles.forBoard(board);
            MemoryLayout l = layouts.get(alts.isEmpty() ? 0 : alts.get(0).altSetting());
            if (l != null) {
                // facts of the board the profile corrects by itself (over-claimed flash, mboot's own sectors):
                // nothing for the user to act on, so evidence rather than warnings
                evidence.addAll(p.layoutWarnings(alts.get(0).altSetting(), l));
            }
            return new Identification(Identification.Kind.MBOOT, line, p, Optional.of(board.chip().id()), Optional.of(board.id()),
                    Set.of(), info, evidence, warnings);
        }

        // ------------------------------------------------------------------ ST ROM

        /** How well a chip's flash map and ROM strings explain what the device reports. */
        private record Candidate(ChipProfile chip, FlashMap map, int score, List<String> notes) {
        }

        private Optional<Candidate> score(ChipProfile c, FlashMap map) {
            if (strings.isEmpty()) {
                return Optional.empty();
            }
            List<String> notes = new ArrayList<>();
            int score;
            String alt0 = strings.get(0);
            if (alt0.equals(map.romLayout())) {
                score = 10;
                notes.add("alt 0 is " + c.id() + "'s ROM string" + (c.flashMaps().size() > 1 ? " in " + map.mode()
                        + " mode (" + map.description() + ")" : ""));
            } else if (DescriptorStrings.sameLayout(alt0, map.romLayout()) && c.rom().usb().product().equals(info.product())) {
                // same sectors, same name padding, same product: only the digits are spelled differently
                score = 6;
                notes.add("alt 0 describes " + c.id() + "'s " + map.mode() + " flash map (spelling differs from the table)");
            } else {
                return Optional.empty();
            }
            if (c.rom().usb().product().equals(info.product())) {
                score += 2;
            }
            if (c.rom().usb().bcdDevice() == info.bcdDevice()) {
                score += 1;
            } else {
                RomSignatures.olderBootloader(info, c.leave()).ifPresent(r -> notes.add(r.evidence()));
            }
            List<RomAltSetting> extra = c.rom().extraAltSettings();
            for (int i = 1; i < strings.size(); i++) {
                if (i - 1 < extra.size()) {
                    String want = extra.get(i - 1).layout();
                    if (want.equals(strings.get(i))) {
                        score += 2;
                    } else if (DescriptorStrings.sameLayout(want, strings.get(i)) || DescriptorStrings.sameIgnoringType(want, strings.get(i))) {
                        score += 1;
                    } else {
                        score -= 1;
                    }
                } else {
                    score -= 1;
                }
            }
            if (strings.size() == 1 + extra.size()) {
                score += 1;
            }
            return Optional.of(new Candidate(c, map, score, notes));
        }

        private Identification stRom(LeaveMode unlistedLeave) {
            List<Candidate> candidates = new ArrayList<>();
            for (ChipProfile c : Stm32Profiles.chips()) {
                for (FlashMap m : c.flashMaps()) {
                    score(c, m).ifPresent(candidates::add);
                }
            }
            candidates.sort((a, b) -> Integer.compare(b.score(), a.score()));
            Optional<ChipProfile> byId = deviceId.isPresent() ? Stm32Profiles.byDeviceId(deviceId.getAsInt()) : Optional.empty();
            Candidate best = candidates.isEmpty() ? null : candidates.get(0);
            // chips compared by id (unique in the table), not by the record's generated equals: that bootstraps
            // through java.lang.runtime.ObjectMethods, dozens of run-time classes in every identification (issue 11)
            if (byId.isPresent() && (best == null || !best.chip().id().equals(byId.get().id()))) {
                warnings.add(String.format("device ID 0x%03x is %s, but the ROM strings %s; trusting the device ID",
                        deviceId.getAsInt(), byId.get().line(), best == null ? "match no profile" : "match " + best.chip().line()));
                return chipIdentification(byId.get(), Optional.empty());
            }
            if (best == null) {
                return unlistedLine(unlistedLeave);
            }
            evidence.addAll(best.notes());
            // equally good candidates of other lines: the strings cannot tell them apart
            List<ChipProfile> tied = new ArrayList<>();
            for (Candidate c : candidates) {
                if (c.score() == best.score() && !c.chip().id().equals(best.chip().id())
                        && tied.stream().noneMatch(t -> t.id().equals(c.chip().id()))) {
                    tied.add(c.chip());
                }
            }
            for (ChipProfile other : tied) {
                List<String> differences = DescriptorStrings.protocolDifferences(best.chip(), other);
                if (differences.isEmpty()) {
                    warnings.add("the ROM strings are also those of " + other.line() + "; its DfuSe behaviour is identical"
                            + " (leave via " + DescriptorStrings.describe(best.chip().leave()) + ", " + best.chip().rom().transferSize()
                            + "-byte blocks, " + best.chip().programming().unitBytes() + "-byte programming unit, same busy"
                            + " behaviour), so the " + best.chip().id() + " profile is used");
                } else {
                    warnings.add("the ROM strings are also those of " + other.line() + ", which differs in " + String.join(", ",
                            differences) + "; using " + best.chip().id() + " — pass the device ID if the part is a "
                            + other.line());
                    remedies.add(ASK_DEVICE_ID);
                }
            }
            return chipIdentification(best.chip(), Optional.of(best.map()));
        }

        private Identification chipIdentification(ChipProfile chip, Optional<FlashMap> matched) {
            Set<RomQuirk> quirks = Stm32Quirks.applicable(info, Optional.of(chip), deviceId);
            Stm32DeviceProfile p = Stm32DeviceProfiles.forChip(chip);
            Set<RomQuirk> extra = EnumSet.noneOf(RomQuirk.class);
            extra.addAll(quirks);
            extra.removeAll(chip.quirks());
            if (!extra.isEmpty()) {
                p = p.withRomQuirks(extra.toArray(new RomQuirk[0]));
            }
            FunctionalDescriptor fd = functional();
            if (fd != null && fd.transferSize() != chip.rom().transferSize()) {
                warnings.add(String.format("wTransferSize %d differs from the %s ROM's %d in the table; the reported value"
                        + " is used (blocks are never larger than the device says)", fd.transferSize(), chip.id(),
                        chip.rom().transferSize()));
            }
            if (!chip.rom().usb().product().equals(info.product())) {
                warnings.add("product string \"" + info.product() + "\" differs from the " + chip.id() + " ROM's \""
                        + chip.rom().usb().product() + "\"");
            }
            FlashMap map = matched.orElse(chip.defaultFlashMap());
            List<DieVariants.Part> smaller = DieVariants.of(chip.id());
            if (!smaller.isEmpty()) {
                // evidence, not a warning: every such part says the same, so it would warn on every flash. A
                // flash that writes beyond a smaller part's flash gets a note (Stm32DeviceProfile.writeNotes)
                evidence.add("the ROM reports the flash of the whole die (" + map.size() / 1024 + " KiB at 0x" + hex(map.base(), 8)
                        + "); smaller parts on this die report the same (" + String.join(", ", smaller.stream()
                        .map(DieVariants.Part::describe).toList()) + "): a flash writing beyond a smaller part's flash gets a note");
            }
            if (matched.isEmpty()) {
                MemoryLayout l = layouts.get(0);
                warnings.add("alt 0 (" + (l == null ? "none" : "\"" + strings.get(0) + "\"") + ") does not describe a "
                        + chip.id() + " flash map; the reported layout is used as is");
            }
            if (!quirks.isEmpty()) {
                evidence.add("quirks: " + quirks);
            }
            noteDeviceId(chip.line());
            return new Identification(Identification.Kind.ST_ROM, chip.line(), p, Optional.of(chip.id()), Optional.empty(),
                    p.romQuirks(), info, evidence, warnings, remedies);
        }

        private Identification unlistedLine(LeaveMode leave) {
            Stm32DeviceProfile p = Stm32DeviceProfiles.unknownStRom(leave);
            String line = "";
            if (deviceId.isPresent()) {
                Optional<String> known = Stm32Profiles.lineOfDeviceId(deviceId.getAsInt());
                if (known.isPresent()) {
                    line = known.get();
                    Set<RomQuirk> quirks = Stm32Quirks.applicable(info, Optional.empty(), deviceId);
                    if (!quirks.isEmpty()) {
                        p = p.withRomQuirks(quirks.toArray(new RomQuirk[0]));
                        evidence.add("quirks for " + line + ": " + quirks);
                    }
                }
            }
            warnings.add("no STM32 profile matches alt 0 " + (strings.isEmpty() ? "(no alt settings)" : "\"" + strings.get(0) + "\"")
                    + (line.isEmpty() ? "" : " (" + line + ")") + "; using the generic ST ROM profile (tolerates the known"
                    + " ROM quirks, leave via " + (leave == LeaveMode.RESET_HANDLER ? "reset handler" : "vector table")
                    + "); pass the device ID for line-specific handling");
            remedies.add(ASK_DEVICE_ID);
            noteDeviceId(line);
            return new Identification(Identification.Kind.ST_ROM, line, p, Optional.empty(), Optional.empty(), p.romQuirks(),
                    info, evidence, warnings, remedies);
        }

        /**
         * Says so when the caller's device ID cannot do what it was given for: an ID in neither the chip
         * profiles nor the quirks table changes nothing, and the ID of a line without a chip profile (L4,
         * G4, U5, C0) only adds that line's quirk rows to the profile the ROM strings match.
         */
        private void noteDeviceId(String identifiedLine) {
            if (deviceId.isEmpty()) {
                return;
            }
            String hex = String.format("0x%03x", deviceId.getAsInt());
            Optional<String> line = Stm32Profiles.lineOfDeviceId(deviceId.getAsInt());
            if (line.isEmpty()) {
                warnings.add("device ID " + hex + " is in neither dfu4j's chip profiles nor its quirks table,"
                        + " so it changes nothing; check the number (e.g. 0x413 is STM32F405/F407)");
            } else if (!line.get().equals(identifiedLine) && warnings.stream().noneMatch(w -> w.contains(hex))) {
                warnings.add("device ID " + hex + " is " + line.get() + ", which has no chip profile; its rows of the"
                        + " quirks table are added to the " + (identifiedLine.isEmpty() ? "generic ST ROM" : identifiedLine)
                        + " profile the ROM strings match");
            }
        }

        /** {@code value} in lower-case hex, zero-padded to {@code digits}: String.format("%0<digits>x") without a Formatter. */
        static String hex(long value, int digits) {
            String h = Long.toHexString(value);
            return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
        }
    }
}
