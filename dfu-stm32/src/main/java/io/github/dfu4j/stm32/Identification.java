package io.github.dfu4j.stm32;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.DfuRom;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What is behind a DFU interface (usually 0483:df11): an ST ROM bootloader of which line, mboot on
 * which board, or some other DFU/DfuSe device; the profile to flash it with, the evidence, and
 * warnings from cross-checking what it reports against the tables. Start from {@link #identify(DfuTransport)}:
 * it reads what the transport already knows (device descriptor and strings, alternate-setting strings,
 * functional descriptor) and sends no request.
 *
 * <pre>{@code
 * Identification id = Identification.identify(transport);
 * System.out.println(id);                       // STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice 0x2200)
 * id.warnings().forEach(w -> System.out.println("warning: " + w));
 * try (DfuDevice dev = id.open(transport)) { ... }
 * }</pre>
 *
 * @param kind     which kind of bootloader
 * @param line     the STM32 line or board, e.g. "STM32F405/F407/F415/F417" or "PYBD-SF2 (STM32F722IEK)";
 *                 empty when unknown
 * @param profile  the profile to use: an {@link Stm32DeviceProfile} for ST ROMs and mboot, else
 *                 {@link DeviceProfile#generic()}
 * @param chipId   the id of the chip profile, when the line is known, e.g. "stm32f405"
 * @param boardId  the id of the mboot board, when known, e.g. "mboot-pybd-sf2"
 * @param quirks   ROM quirks the profile accounts for
 * @param device   the USB identity it was read from
 * @param evidence the facts the decision rests on, one per line
 * @param warnings what the user should act on (ambiguity, mismatches, layouts not understood); known
 *                 facts the profile handles itself are evidence: that a ROM reports its die's flash, that
 *                 mboot over-claims its flash and protects its own sectors; a download that writes beyond a
 *                 smaller part of the die gets a note ({@link Stm32DeviceProfile#writeNotes})
 * @param remedies what the caller can do about the warnings, e.g. {@link Remedy.Kind#DEVICE_ID} when only a device
 *                 ID can decide between lines (see {@link #asksForDeviceId()})
 */
public record Identification(Kind kind, String line, DeviceProfile profile, Optional<String> chipId,
                             Optional<String> boardId, Set<RomQuirk> quirks, DeviceInfo device, List<String> evidence,
                             List<String> warnings, List<Remedy> remedies) {

    /** Which kind of bootloader answered. */
    public enum Kind {
        /** An ST system-memory (ROM) DfuSe bootloader. */
        ST_ROM,
        /** MicroPython's mboot. */
        MBOOT,
        /** Some other DfuSe (bcdDFU 0x011A) device: custom or third-party bootloader, GD32, ... */
        OTHER_DFUSE,
        /** A plain DFU 1.1 device. */
        PLAIN_DFU,
        /** No usable functional descriptor, or a run-time (application mode) interface. */
        UNKNOWN
    }

    public Identification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(chipId, "chipId");
        Objects.requireNonNull(boardId, "boardId");
        quirks = quirks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(quirks));
        Objects.requireNonNull(device, "device");
        evidence = List.copyOf(evidence);
        warnings = List.copyOf(warnings);
        remedies = List.copyOf(remedies);
    }

    /** An identification whose warnings need no remedy. */
    public Identification(Kind kind, String line, DeviceProfile profile, Optional<String> chipId, Optional<String> boardId,
                          Set<RomQuirk> quirks, DeviceInfo device, List<String> evidence, List<String> warnings) {
        this(kind, line, profile, chipId, boardId, quirks, device, evidence, warnings, List.of());
    }

    /** Identifies from descriptors and strings only (no request is sent). */
    public static Identification identify(DfuTransport transport) {
        return identify(transport, OptionalInt.empty());
    }

    /**
     * Identifies from descriptors and strings only (no request is sent).
     *
     * @param deviceId the DBGMCU device ID if the caller knows it (read over SWD, printed by
     *                 STM32CubeProgrammer, or from the part number): selects lines without a chip
     *                 profile in the quirks table and overrides the strings for lines with one
     */
    public static Identification identify(DfuTransport transport, OptionalInt deviceId) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(deviceId, "deviceId");
        return identify(transport.device(), transport.altSettings(), transport.functionalDescriptor(), deviceId);
    }

    /**
     * Identifies from explicit descriptor facts: what {@link #identify(DfuTransport, OptionalInt)} reads
     * from a transport.
     */
    public static Identification identify(DeviceInfo device, List<AltSetting> alts, byte[] functionalDescriptor,
                                          OptionalInt deviceId) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(alts, "alts");
        Objects.requireNonNull(functionalDescriptor, "functionalDescriptor");
        Objects.requireNonNull(deviceId, "deviceId");
        return Stm32Identifier.identify(device, alts, functionalDescriptor, deviceId);
    }

    /**
     * Richer identification of an opened device: {@link #identify} plus DfuSe GET_COMMANDS (UPLOAD block 0),
     * which separates ST's system bootloader ({@code 00 21 41 92}) from ST's DfuSe device middleware in a
     * custom bootloader ({@code 00 21 41}: no read unprotect, no mass erase). Not sent to mboot, which does
     * not implement it. The device is back in dfuIDLE afterwards.
     */
    public static Identification probe(DfuDevice device, OptionalInt deviceId) {
        Objects.requireNonNull(device, "device");
        Identification id = identify(device.info(), device.altSettings(), device.functionalDescriptor().toBytes(), deviceId);
        if (id.kind() != Identification.Kind.ST_ROM && id.kind() != Identification.Kind.OTHER_DFUSE) {
            return id;
        }
        byte[] commands;
        try {
            commands = device.supportedCommands(0);
        } catch (DfuException e) {
            return id.plus(List.of("GET_COMMANDS failed: " + e.getMessage()), List.of());
        }
        String hex = HexFormat.ofDelimiter(" ").formatHex(commands);
        List<Integer> got = new ArrayList<>();
        for (byte b : commands) {
            got.add(b & 0xFF);
        }
        if (got.equals(DfuRom.ST_COMMANDS)) {
            return id.plus(List.of("GET_COMMANDS " + hex + ": the ST system bootloader's command set"), List.of());
        }
        List<String> warn = new ArrayList<>();
        if (id.kind() == Identification.Kind.ST_ROM && !got.contains(0x92)) {
            warn.add("GET_COMMANDS " + hex + " lacks 0x92 (read unprotect): this looks like ST's DfuSe device middleware"
                    + " in a custom bootloader, not the ROM; mass erase may be unsupported");
        }
        return id.plus(List.of("GET_COMMANDS " + hex), warn);
    }

    /** The chip table row of {@link #chipId()}. */
    Optional<ChipProfile> chip() {
        return chipId.flatMap(Stm32Profiles::byId);
    }

    /** The mboot board table row of {@link #boardId()}. */
    Optional<MbootBoard> board() {
        return boardId.flatMap(Stm32Profiles::mbootBoard);
    }

    /** True when a warning says that only the device ID can decide ({@link Remedy.Kind#DEVICE_ID}). */
    public boolean asksForDeviceId() {
        return remedies.stream().anyMatch(r -> r.kind() == Remedy.Kind.DEVICE_ID);
    }

    /**
     * One line for a listing or a log, e.g. "STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice
     * 0x2200)" or "MicroPython mboot on PYBD-SF2 (STM32F722IEK) (bcdDevice 0x0300)".
     */
    public String describe() {
        String h = Integer.toHexString(device.bcdDevice()); // String.format("%04x") without a Formatter (start-up, issue 11)
        String bcd = "bcdDevice 0x" + (h.length() >= 4 ? h : "0000".substring(h.length()) + h);
        return switch (kind) {
            case ST_ROM -> line.isEmpty()
                    ? "ST ROM bootloader of an unlisted STM32 line (" + bcd + ")"
                    : line + " ROM bootloader (ST, " + bcd + ")";
            case MBOOT -> line.isEmpty()
                    ? "MicroPython mboot on an unlisted board (" + bcd + ")"
                    : "MicroPython mboot on " + line + " (" + bcd + ")";
            case OTHER_DFUSE -> "DfuSe device " + device.vidPid() + named() + " (not an STM32 ROM or mboot; generic profile)";
            case PLAIN_DFU -> "DFU 1.1 device " + device.vidPid() + named() + " (generic profile)";
            case UNKNOWN -> "device " + device.vidPid() + named() + " (not identified; generic profile)";
        };
    }

    private String named() {
        String who = (device.manufacturer() + " " + device.product()).trim();
        return who.isEmpty() ? "" : " \"" + who + "\"";
    }

    /** The profile as an {@link Stm32DeviceProfile}, when it is one. */
    public Optional<Stm32DeviceProfile> stm32Profile() {
        return profile instanceof Stm32DeviceProfile p ? Optional.of(p) : Optional.empty();
    }

    /**
     * Opens the device with this profile (its quirks include early polling on ROMs that NAK while
     * busy), retrying for up to the erase budget while the device is still busy
     * with an earlier session's erase ({@link Stm32DeviceProfile#open}). The device owns
     * {@code transport} afterwards.
     */
    public DfuDevice open(DfuTransport transport) throws DfuException {
        Optional<Stm32DeviceProfile> p = stm32Profile();
        if (p.isPresent()) {
            return p.get().open(transport, p.get().quirks().budgets().eraseBudget());
        }
        return DfuDevice.open(transport, profile);
    }

    /** A copy with more evidence and warnings (for {@link #probe}); the remedies are kept. */
    Identification plus(List<String> moreEvidence, List<String> moreWarnings) {
        List<String> e = new ArrayList<>(evidence);
        e.addAll(moreEvidence);
        List<String> w = new ArrayList<>(warnings);
        w.addAll(moreWarnings);
        return new Identification(kind, line, profile, chipId, boardId, quirks, device, e, w, remedies);
    }

    /** The same one line as {@link #describe()}, e.g. "STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice 0x2200)". */
    @Override
    public String toString() {
        return describe();
    }
}
