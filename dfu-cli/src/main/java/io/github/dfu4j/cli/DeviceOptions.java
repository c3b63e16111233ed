package io.github.dfu4j.cli;

import io.github.dfu4j.stm32.RomQuirk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** How a command finds its device: a simulated one (--sim) or a real one (filters in dfu-util's habits). */
final class DeviceOptions {
    @Option(names = "--sim", paramLabel = "CHIP[,CHIP...]",
            description = "Use built-in simulated devices instead of USB (see 'dfu list --sim'), e.g. stm32f405; several "
                    + "ids are several boards (port paths 1-1, 1-2, ...), picked with -S/-p as on USB or all with --all.")
    String sim;

    @Option(names = "--sim-state", paramLabel = "FILE",
            description = "Load the simulated device's memory from FILE if it exists and save it on exit (and every second "
                    + "while the command runs); FILE.lock keeps a second dfu process out until this one is done.")
    java.nio.file.Path simState;

    @Option(names = "--sim-time", paramLabel = "MODE", defaultValue = "real",
            description = "Simulated flash timing: real (default), virtual (instant), or a speed-up factor such as 10.")
    String simTime;

    @Option(names = "--sim-boot0-high", description = "Simulate a board whose BOOT0 pin is held high (it always comes back in DFU mode).")
    boolean simBoot0High;

    @Option(names = "--sim-quirk", paramLabel = "NAME",
            description = "Give the simulated ROM one more quirk (repeatable), e.g. STALLS_GETSTATUS_WHILE_ERASING on "
                    + "stm32f405 behaves like an STM32L4 ROM; names as for --quirk.")
    List<String> simQuirks = new ArrayList<>();

    @Option(names = "--sim-block-stride", paramLabel = "BYTES",
            description = "Simulate a bootloader that places DNLOAD/UPLOAD block n at pointer + (n - 2) * BYTES instead of "
                    + "* wTransferSize (a block-addressing bug; 0 puts every block at the pointer). See docs/simulator.md.")
    Integer simBlockStride;

    @Option(names = "--sim-transfer-size", paramLabel = "BYTES",
            description = "The simulated bootloader reports and honours this wTransferSize (1..65535) instead of its own, "
                    + "e.g. 64 or 4096 on plain-dfu. See docs/simulator.md.")
    Integer simTransferSize;

    /**
     * The transfer size the user chose ({@code --transfer-size} of flash and upload, {@code dfu util -t}),
     * applied when the device is identified ({@link Profiles#withTransferSize}); null = the device's.
     */
    Integer transferSize;

    @Option(names = "--device-id", paramLabel = "0xNNN",
            description = "The chip's DBGMCU device ID (12-bit DEV_ID in hex, e.g. 0x413; STM32CubeProgrammer prints it). "
                    + "Selects lines the USB descriptors cannot tell apart and their quirks (STM32L4, G4, U5, C0), "
                    + "and wins over the ROM strings.")
    String deviceId;

    @Option(names = "--part", paramLabel = "PART",
            description = "The exact part when it is a smaller part of the die its ROM reports, e.g. STM32H750xB or "
                    + "STM32H743xG on the H743 die: the layout is clipped to the part's flash, so an image that does not fit "
                    + "is refused before anything is written.")
    String part;

    @Option(names = "--quirk", paramLabel = "NAME",
            description = "Handle this ROM quirk of the quirks table although identification did not select it "
                    + "(repeatable; case and -/_ do not matter), e.g. STALLS_GETSTATUS_WHILE_ERASING, LARGE_BLOCKS_STALL.")
    List<String> quirks = new ArrayList<>();

    @Option(names = "--record", paramLabel = "FILE",
            description = "Record every request and reply of this session to FILE (a text file for bug reports; replay with --replay).")
    java.nio.file.Path record;

    @Option(names = "--replay", paramLabel = "FILE",
            description = "Use a recorded session (from --record) as the device: reproduces a bug report without hardware.")
    java.nio.file.Path replay;

    @Option(names = {"-d", "--device"}, paramLabel = "VID:PID[,VID:PID]",
            description = "USB ids to match (second pair: ids in DFU mode after detach), e.g. 0483:df11.")
    String device;

    @Option(names = {"-S", "--serial"}, paramLabel = "SERIAL", description = "Match this serial number.")
    String serial;

    @Option(names = {"-p", "--path"}, paramLabel = "BUS-PORT", description = "Match this USB port path, e.g. 1-2.3.")
    String path;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "USB backend: auto (system libusb via JNA, else usb4java), jna or usb4java.")
    String backend;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for a device to re-enumerate (detach, leave, reset, or a disconnect"
                    + " during a flash, which then resumes). Default 5.")
    int waitSeconds;

    @Option(names = "--wait-device", paramLabel = "SECONDS",
            description = "Wait up to SECONDS for a matching device to appear (run-time or DFU mode) before giving up with "
                    + "exit 4, like dfu-util -w. Default: no wait. (--wait is the re-enumeration wait after detach, leave, reset.)")
    Double waitDevice;

    @Option(names = "--leave-wait", paramLabel = "SECONDS", defaultValue = "2",
            description = "After leaving DFU mode, how long to watch for the device coming back in DFU mode "
                    + "(which means the application did not start). Default 2; 0 skips the check.")
    double leaveWaitSeconds;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** The command's stdout and stderr when {@link QuickDevice} parsed the command line (no picocli spec), else null. */
    java.io.PrintWriter quickOut;
    java.io.PrintWriter quickErr;

    /** The command's stdout: QuickDevice's, else picocli's (System.out when neither parsed the options). */
    java.io.PrintWriter out() {
        if (quickOut != null) {
            return quickOut;
        }
        return mixee != null ? mixee.commandLine().getOut() : new java.io.PrintWriter(System.out, true);
    }

    /** The command's stderr: QuickDevice's, else picocli's (System.err when neither parsed the options). */
    java.io.PrintWriter err() {
        if (quickErr != null) {
            return quickErr;
        }
        return mixee != null ? mixee.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
    }

    java.time.Duration leaveWait() {
        if (leaveWaitSeconds < 0) {
            throw new CliException(ExitCode.USAGE, "--leave-wait must be 0 or more seconds");
        }
        return java.time.Duration.ofMillis(Math.round(leaveWaitSeconds * 1000));
    }

    /** The 12-bit DEV_ID of DBGMCU_IDCODE; only hex with 0x, because "413" could be read either way. */
    OptionalInt deviceId() {
        if (deviceId == null) {
            return OptionalInt.empty();
        }
        String t = deviceId.trim();
        String hint = "--device-id takes the chip's 12-bit DEV_ID in hex, e.g. 0x413 (STM32F405); ";
        if (!t.toLowerCase(Locale.ROOT).startsWith("0x")) {
            throw new CliException(ExitCode.USAGE, hint + "write it with 0x, not '" + deviceId + "'");
        }
        int value;
        try {
            value = Integer.parseInt(t.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new CliException(ExitCode.USAGE, hint + "'" + deviceId + "' is not a hex number");
        }
        if (value <= 0 || value > 0xFFF) {
            throw new CliException(ExitCode.USAGE, hint + "'" + deviceId + "' is outside 0x001..0xfff (the DEV_ID is the "
                    + "low 12 bits of DBGMCU_IDCODE)");
        }
        return OptionalInt.of(value);
    }

    /** The quirks of --quirk. */
    Set<RomQuirk> forcedQuirks() {
        return parseQuirks(quirks, "--quirk");
    }

    /** The quirks of --sim-quirk. */
    Set<RomQuirk> simulatedQuirks() {
        return parseQuirks(simQuirks, "--sim-quirk");
    }

    /** Quirk names as the table spells them (RomQuirk constants); case and '-' for '_' are forgiven. */
    static Set<RomQuirk> parseQuirks(List<String> names, String option) {
        Set<RomQuirk> out = EnumSet.noneOf(RomQuirk.class);
        for (String name : names) {
            String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            RomQuirk q = Arrays.stream(RomQuirk.values()).filter(v -> v.name().equals(key)).findFirst()
                    .orElseThrow(() -> new CliException(ExitCode.USAGE, "unknown quirk '" + name + "' for " + option
                            + "; the quirks table has " + Arrays.stream(RomQuirk.values()).map(Enum::name)
                            .collect(Collectors.joining(", "))));
            out.add(q);
        }
        return out;
    }

    /**
     * Refuses, before any device is touched, an output the command could only write at its end: a
     * directory, a missing parent directory, a file or directory without write permission (exit 2).
     * {@code what} starts the name in the message ("--sim-state " or "").
     */
    static void checkWritable(java.nio.file.Path file, String what) {
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        String why = null;
        if (java.nio.file.Files.isDirectory(file)) {
            why = "is a directory";
        } else if (parent != null && java.nio.file.Files.exists(parent) && !java.nio.file.Files.isDirectory(parent)) {
            why = parent + " is not a directory";
        } else if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            why = "directory " + parent + " does not exist";
        } else if (java.nio.file.Files.exists(file) ? !java.nio.file.Files.isWritable(file)
                : parent != null && !java.nio.file.Files.isWritable(parent)) {
            why = "permission denied";
        }
        if (why != null) {
            throw new CliException(ExitCode.USAGE, "cannot write " + what + file + ": " + why);
        }
    }

    boolean simulated() {
        return sim != null;
    }

    /** Refuses simulator-only options without --sim, so a real flash never silently uses a simulator. */
    void check() {
        if (sim == null && (simState != null || simBoot0High || !simQuirks.isEmpty() || simBlockStride != null
                || simTransferSize != null)) {
            throw new CliException(ExitCode.USAGE,
                    "--sim-state, --sim-boot0-high, --sim-quirk, --sim-block-stride and --sim-transfer-size need --sim CHIP");
        }
        if (simTransferSize != null && (simTransferSize < 1 || simTransferSize > 0xFFFF)) {
            throw new CliException(ExitCode.USAGE, "--sim-transfer-size must be 1..65535 bytes, not " + simTransferSize);
        }
        if (waitDevice != null && !(waitDevice >= 0 && waitDevice <= 3600)) {
            throw new CliException(ExitCode.USAGE, "--wait-device takes 0 to 3600 seconds, not " + waitDevice);
        }
        if (simBlockStride != null && simBlockStride < 0) {
            throw new CliException(ExitCode.USAGE, "--sim-block-stride must be 0 or more bytes, not " + simBlockStride);
        }
        if (record != null) {
            checkWritable(record, "--record ");
        }
        if (simState != null) {
            checkWritable(simState, "--sim-state ");
            if (java.nio.file.Files.exists(simState)) {
                Inputs.checkRegularUnderCap(simState, "--sim-state "); // loaded whole and replaced on save: never a FIFO or device
            }
        }
        // parsed here too, so a typo is a usage error before any device is opened
        deviceId();
        forcedQuirks();
        simulatedQuirks();
        if (replay != null && (sim != null || device != null || serial != null || path != null)) {
            throw new CliException(ExitCode.USAGE, "--replay replaces the device; it cannot be combined with --sim or device filters");
        }
    }
}
