package io.github.dfu4j.cli;

import picocli.CommandLine.Option;

/** How a command finds its device: a simulated one (--sim) or a real one (filters in dfu-util's habits). */
final class DeviceOptions {
    @Option(names = "--sim", paramLabel = "CHIP",
            description = "Use a built-in simulated device instead of USB (see 'dfu list --sim'), e.g. stm32f405.")
    String sim;

    @Option(names = "--sim-state", paramLabel = "FILE",
            description = "Load the simulated device's memory from FILE if it exists and save it on exit.")
    java.nio.file.Path simState;

    @Option(names = "--sim-time", paramLabel = "MODE", defaultValue = "real",
            description = "Simulated flash timing: real (default), virtual (instant), or a speed-up factor such as 10.")
    String simTime;

    @Option(names = "--sim-boot0-high", description = "Simulate a board whose BOOT0 pin is held high (it always comes back in DFU mode).")
    boolean simBoot0High;

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
            description = "How long to wait for a device to re-enumerate (detach, leave, reset). Default 5.")
    int waitSeconds;

    @Option(names = "--leave-wait", paramLabel = "SECONDS", defaultValue = "2",
            description = "After leaving DFU mode, how long to watch for the device coming back in DFU mode "
                    + "(which means the application did not start). Default 2; 0 skips the check.")
    double leaveWaitSeconds;

    java.time.Duration leaveWait() {
        if (leaveWaitSeconds < 0) {
            throw new CliException(ExitCode.USAGE, "--leave-wait must be 0 or more seconds");
        }
        return java.time.Duration.ofMillis(Math.round(leaveWaitSeconds * 1000));
    }

    boolean simulated() {
        return sim != null;
    }

    /** Refuses simulator-only options without --sim, so a real flash never silently uses a simulator. */
    void check() {
        if (sim == null && (simState != null || simBoot0High)) {
            throw new CliException(ExitCode.USAGE, "--sim-state and --sim-boot0-high need --sim CHIP");
        }
        if (replay != null && (sim != null || device != null || serial != null || path != null)) {
            throw new CliException(ExitCode.USAGE, "--replay replaces the device; it cannot be combined with --sim or device filters");
        }
        if (sim != null && (device != null || serial != null || path != null)) {
            throw new CliException(ExitCode.USAGE, "--sim cannot be combined with --device/--serial/--path");
        }
    }
}
