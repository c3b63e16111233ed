package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import io.github.dfu4j.stm32.internal.Stm32Quirks;
import io.github.dfu4j.transport.DfuTransport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Identifies what is behind an opened device (which STM32 ROM, mboot board, or an unknown DFU device)
 * and opens it with the matching profile: leave semantics, quirks, layout corrections. What the user
 * knows and the descriptors do not say comes from {@code --device-id} and {@code --quirk}.
 */
final class Profiles {
    private Profiles() {
    }

    static final String DEVICE_ID_HINT = "give the device ID with --device-id 0xNNN (the 12-bit DEV_ID: STM32CubeProgrammer "
            + "prints it as \"Device ID\", the reference manual's DBGMCU_IDCODE section lists them)";

    static DeviceProfile forTransport(DfuTransport transport, DeviceOptions options) {
        return identify(transport, options).profile();
    }

    /** Identification with the user's --device-id, --quirk, --part and --transfer-size applied. */
    static Identification identify(DfuTransport transport, DeviceOptions options) {
        OptionalInt deviceId = options.deviceId();
        Identification id = withUserKnowledge(Identification.identify(transport, deviceId), deviceId, options.forcedQuirks());
        id = options.part == null ? id : withPart(id, options.part);
        return options.transferSize == null ? id : withTransferSize(id, options.transferSize, transport);
    }

    /**
     * {@code id} with every transfer (DNLOAD, UPLOAD, read-back) at most {@code size} bytes: the profile's
     * {@link DfuQuirks#maxTransferSize()}. Larger than what the device takes (its wTransferSize, capped by
     * the profile's quirks) is a usage error: a block the device has no buffer for stalls or is cut.
     */
    static Identification withTransferSize(Identification id, int size, DfuTransport transport) {
        int reported;
        try {
            reported = FunctionalDescriptor.parse(transport.functionalDescriptor(), transport.device().path()).transferSize();
        } catch (DfuException e) {
            throw new CliException(ExitCode.DEVICE_FAILURE, DfuCli.oneLine(e), e);
        }
        int allowed = id.profile().quirks().effectiveTransferSize(reported);
        if (size < 1 || size > allowed) {
            throw new CliException(ExitCode.USAGE, "--transfer-size " + size + ": this device takes 1.." + allowed
                    + " bytes per transfer (wTransferSize " + reported + (allowed < reported ? ", capped by its quirks" : "") + ")");
        }
        DfuQuirks quirks = id.profile().quirks().toBuilder().maxTransferSize(size).build();
        DeviceProfile profile = id.profile() instanceof Stm32DeviceProfile p ? p.withQuirks(quirks)
                : DeviceProfile.of(id.profile().name(), id.profile().leaveMode(), quirks);
        List<String> evidence = new ArrayList<>(id.evidence());
        evidence.add("transfer size given with --transfer-size: " + size + " bytes");
        return new Identification(id.kind(), id.line(), profile, id.chipId(), id.boardId(), id.quirks(), id.device(), evidence,
                id.warnings(), id.remedies());
    }

    /**
     * {@code id} plus what the user said: warnings when a device ID cannot have any effect, and the
     * forced quirks added to the profile (the quirks table's effects, as for an identified line).
     */
    static Identification withUserKnowledge(Identification id, OptionalInt deviceId, Set<RomQuirk> forced) {
        List<String> evidence = new ArrayList<>(id.evidence());
        List<String> warnings = new ArrayList<>(id.warnings());
        if (deviceId.isPresent() && id.kind() != Identification.Kind.ST_ROM) {
            // only ST's ROM has lines to choose between; mboot boards and other bootloaders are not chips (the
            // identifier itself warns about IDs that change nothing on an ST ROM)
            warnings.add(String.format("--device-id 0x%03x is ignored: it refines ST ROM bootloaders only, and this is %s",
                    deviceId.getAsInt(), id.kind() == Identification.Kind.MBOOT ? "MicroPython mboot" : "not an ST ROM"));
        }
        if (forced.isEmpty()) {
            return warnings.equals(id.warnings()) ? id
                    : new Identification(id.kind(), id.line(), id.profile(), id.chipId(), id.boardId(), id.quirks(), id.device(),
                    evidence, warnings, id.remedies());
        }
        Set<RomQuirk> all = EnumSet.noneOf(RomQuirk.class);
        all.addAll(id.quirks());
        all.addAll(forced);
        DeviceProfile profile;
        if (id.profile() instanceof Stm32DeviceProfile p) {
            profile = p.withRomQuirks(forced.toArray(new RomQuirk[0]));
            all = EnumSet.copyOf(((Stm32DeviceProfile) profile).romQuirks());
        } else {
            // the generic profile: same name and leave mode, the table's effects on its protocol quirks
            profile = DeviceProfile.of(id.profile().name() + " + --quirk", id.profile().leaveMode(),
                    Stm32Quirks.apply(id.profile().quirks(), forced));
        }
        evidence.add("quirks forced with --quirk: " + forced);
        return new Identification(id.kind(), id.line(), profile, id.chipId(), id.boardId(), all, id.device(), evidence, warnings,
                id.remedies());
    }

    /** {@code id} for the smaller part the user named with --part (the layout clipped to its flash). */
    static Identification withPart(Identification id, String part) {
        if (!(id.profile() instanceof Stm32DeviceProfile p) || p.chipId().isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--part " + part + " applies to ST ROM bootloaders of a known line; this is "
                    + id.describe());
        }
        Stm32DeviceProfile clipped;
        try {
            clipped = p.withPart(part);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--part: " + e.getMessage(), e);
        }
        List<String> evidence = new ArrayList<>(id.evidence());
        evidence.add("part given with --part: " + clipped.part().orElseThrow());
        return new Identification(id.kind(), id.line(), clipped, id.chipId(), id.boardId(), id.quirks(), id.device(), evidence,
                id.warnings(), id.remedies());
    }

    /** Identifies, tells the user what was found (unless quiet), and opens the device with its profile. */
    static DfuDevice open(DfuTransport transport, DeviceOptions options, PrintWriter err, boolean quiet) throws DfuException {
        Identification id = identify(transport, options);
        if (!quiet) {
            err.println("dfu: " + id.describe() + " at " + transport.device().path());
            Verbosity.info(id.evidence(), err);
            printWarnings(id, options.deviceId().isPresent(), "dfu: ", err);
            if (options.deviceId().isPresent() || !options.forcedQuirks().isEmpty()) {
                // the user asked for line-specific handling: show what it amounts to
                err.println("dfu: ROM quirks handled: " + quirkNames(id.quirks()));
            }
            err.flush();
        }
        return id.open(transport);
    }

    /** The warnings, each on its own line, with how to give a device ID when the identification asks for one (a typed remedy). */
    static void printWarnings(Identification id, boolean deviceIdGiven, String prefix, PrintWriter err) {
        for (String warning : id.warnings()) {
            err.println(prefix + "warning: " + warning);
        }
        if (id.asksForDeviceId() && !deviceIdGiven) {
            err.println(prefix + "hint: " + DEVICE_ID_HINT);
        }
    }

    static String quirkNames(Set<RomQuirk> quirks) {
        return quirks.isEmpty() ? "none" : quirks.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }
}
