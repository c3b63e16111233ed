package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.libusb.UsbBackend.OpenedDevice;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.transport.DfuTransport;
import java.util.concurrent.CompletableFuture;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.ops.WriteRefusedException;
import io.github.dfu4j.ops.AddressingMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dfu flash FILE...}: plan, erase, write, verify by read-back, optionally leave DFU mode. */
@Command(name = "flash", description = {
        "Flash firmware: plan against the device's memory layout, erase, write, verify by read-back, optionally leave DFU mode.",
        "Several files are merged; a .dfu with several regions (e.g. internal flash + QSPI) is written in one go.",
        "A raw binary can be placed with FILE@ADDR (e.g. qspi.bin@0x90000000); FILE@ADDR:ALT also sends it to alt setting ALT."})
final class FlashCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Parameters(paramLabel = "FILE[@ADDR[:ALT]]", arity = "1..*",
            description = "Firmware files (.dfu, .hex, .srec, .elf, .bin); FILE@ADDR loads a raw binary at ADDR; "
                    + "- reads standard input (-@ADDR: a raw binary).")
    List<String> files;

    @Option(names = {"-a", "--alt"}, paramLabel = "N|NAME", description = "Alternate setting (memory) to write; default: from the file or 0.")
    String alt;

    // --base like info/convert; --address is the older name, kept so existing scripts work
    @Option(names = {"--base", "--address"}, converter = Numbers.class, paramLabel = "ADDR",
            description = "Load address of raw binary files without @ADDR (default 0x08000000); --address is an alias.")
    Long base;

    @Option(names = "--transfer-size", paramLabel = "BYTES",
            description = "At most BYTES per DFU transfer instead of the device's wTransferSize (1 up to what the device "
                    + "takes; dfu-util's -t).")
    Integer transferSize;

    @Option(names = "--no-verify", description = "Skip the read-back verification (not recommended).")
    boolean noVerify;

    @Option(names = "--incremental", description = "Read each target sector first; erase and write only sectors that differ.")
    boolean incremental;

    @Option(names = "--leave", arity = "0..1", fallbackValue = "auto", paramLabel = "ADDR",
            description = "Leave DFU mode and start the application. Without ADDR dfu4j picks the address the bootloader needs "
                    + "(vector table on F0/F4/F7 ROMs, reset handler on H7 ROMs, ignored by mboot).")
    String leave;

    @Option(names = "--require-start", description = "With --leave: exit 1 unless the device left DFU mode "
            + "(without it, a device that comes back in DFU mode is a warning: the flash itself worked).")
    boolean requireStart;

    @Mixin
    WaitApp waitApp = new WaitApp();

    @Option(names = "--mass-erase", description = "Mass-erase before writing (needs --force: erases everything, not only what the image covers).")
    boolean massErase;

    @Option(names = "--force", description = "Confirm --mass-erase. Does not relax any check of the image against the device.")
    boolean force;

    @Mixin
    ConfirmOptions confirm = new ConfirmOptions();

    @Option(names = "--addressing", paramLabel = "MODE", defaultValue = "auto",
            description = "Block addressing: auto (block numbers, falling back when a device mis-addresses), blocks, or per-block "
                    + "(SET_ADDRESS before every block, like dfu-util).")
    String addressing;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--all", description = "Flash every matching device at once, on USB or the boards of --sim (one thread per "
            + "device; one failure does not stop the others; with --wait-app each device's application is awaited).")
    boolean all;

    @Option(names = "--progress", negatable = true, description = "Show a progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        if (transferSize != null && (transferSize < 1 || transferSize > 0xFFFF)) {
            throw new CliException(ExitCode.USAGE, "--transfer-size must be 1..65535 bytes, not " + transferSize);
        }
        deviceOptions.transferSize = transferSize;
        if (massErase && !force) {
            throw new CliException(ExitCode.USAGE, "--mass-erase erases the whole flash, not only what the image covers; add --force to confirm");
        }
        if (requireStart && leave == null) {
            throw new CliException(ExitCode.USAGE, "--require-start needs --leave");
        }
        if (waitApp.requested() && leave == null) {
            throw new CliException(ExitCode.USAGE, "--wait-app needs --leave");
        }
        Duration appTimeout = waitApp.timeout(deviceOptions);
        LeaveRequest leaveRequest = parseLeave(leave); // a usage error before any input is read
        ReadOptions readOptions = ReadOptions.defaults();
        if (base != null) {
            readOptions = readOptions.toBuilder().baseAddress(base).build();
        }
        List<Inputs.Input> inputs = Inputs.parseAll(files);
        FirmwareImage image = Inputs.readAll(inputs, readOptions, Map.of(), "");
        if (image.isEmpty()) {
            throw new CliException(ExitCode.INVALID_INPUT, inputs.get(0).name() + ": contains no data to flash");
        }
        FlashOptions.Builder options = FlashOptions.builder()
                .verify(!noVerify)
                .incremental(incremental)
                .massErase(massErase)
                .confirmations(confirm.granted())
                .addressing(parseAddressing(addressing))
                .leave(leaveRequest)
                .cancellation(Interruption.token());
        PrintWriter out = deviceOptions.out();
        PrintWriter err = deviceOptions.err();
        if (all) {
            return flashAll(image, options, out, appTimeout);
        }
        FlashResult result;
        WaitApp.AppStart app = null;
        Map<String, Object> jsonRoot = null;
        try (DeviceSession session = DeviceSession.open(deviceOptions, alt)) {
            // --wait-app watches the port itself, from the end of the leave, for whatever comes back
            options.reopenTimeout(appTimeout != null ? Duration.ZERO : session.leaveWait());
            // a device that disconnects during the flash may come back within --wait; the library resumes
            options.resumeWait(Duration.ofSeconds(Math.max(0, deviceOptions.waitSeconds)));
            if (alt != null) {
                options.alt(AltSettings.resolve(session.transport(), alt));
            }
            DfuDevice device = session.own(Profiles.open(session.transport(), deviceOptions, err, json));
            try {
                result = device.download(image, options.build(), ProgressBar.forTerminal(err, progress));
            } catch (WriteRefusedException e) {
                throw ConfirmOptions.refusal(e);
            } catch (DfuCancelledException e) {
                if (e.changes().isEmpty()) {
                    throw e; // not an operation's report: the generic "interrupted" line
                }
                throw InterruptedReport.flash(e);
            } catch (DfuException e) {
                if (e.kind() == DfuException.Kind.PLAN) {
                    throw planRefusal(e);
                }
                throw wedgeAdvice(e, device).orElseThrow(() -> e);
            }
            if (json) {
                jsonRoot = FlashReport.toJson(result, session);
                jsonRoot.put("inputs", List.copyOf(files));
            } else {
                FlashReport.printText(result, !device.functionalDescriptor().isDfuse(), confirm.expectReset, out, err);
                Verbosity.info(result.notes(), err); // the profile's notes, e.g. STM32 die variants
            }
            if (appTimeout != null) {
                out.flush(); // the flash report first, then the wait for the application
                app = WaitApp.await(result.leave().orElseThrow(), session, appTimeout);
            }
        }
        if (jsonRoot != null) {
            if (app != null) {
                jsonRoot.put("application", app.toJson());
            }
            out.println(Json.write(jsonRoot));
        }
        if (app != null && !json) {
            app.print(out, err);
        }
        int code = exitCode(result, requireStart, !noVerify);
        if (requireStart && code == ExitCode.DEVICE_FAILURE && result.leave().isPresent()
                && result.leave().get().outcome() != LeaveResult.Outcome.FAILED) {
            err.println("dfu: --require-start: the application did not start; exit code 1");
        }
        if (code == ExitCode.OK && app != null && !app.started()) {
            code = ExitCode.DEVICE_FAILURE;
        }
        return code;
    }

    /**
     * The exit code of a flash reports the flash: 0 once the image is written (and verified). Leaving
     * is part of the job when asked for, so an error while leaving is 1; a device that left but came
     * back in DFU mode (BOOT0, option bytes, address) is only a warning unless --require-start.
     */
    static int exitCode(FlashResult r, boolean requireStart, boolean verifyAsked) {
        if (verifyAsked && r.resetBy().isPresent() && !r.verified()) {
            return ExitCode.RESET_NOT_VERIFIED;
        }
        if (r.leave().isEmpty()) {
            return ExitCode.OK;
        }
        LeaveResult l = r.leave().get();
        if (l.outcome() == LeaveResult.Outcome.FAILED) {
            return ExitCode.DEVICE_FAILURE;
        }
        return requireStart && !l.left() ? ExitCode.DEVICE_FAILURE : ExitCode.OK;
    }

    /**
     * An erase that failed where the profile knows the ROM wedges (H74x bank 2: the erase phase, at or above
     * {@code DfuQuirks.wedgedEraseFrom}, with a hint configured): the error plus how to mass-erase instead
     * with this tool. Decided from the exception's phase and address and the profile's quirks, not its text.
     */
    static java.util.Optional<CliException> wedgeAdvice(io.github.dfu4j.dfu.DfuException e, DfuDevice device) {
        io.github.dfu4j.dfu.DfuQuirks q = device.profile().quirks();
        boolean wedge = !q.wedgedErase().hint().isEmpty() && e.phase().orElse(null) == io.github.dfu4j.dfu.Phase.ERASE
                && e.address().isPresent() && q.inWedgeRange(e.address().getAsLong());
        return wedge ? java.util.Optional.of(new CliException(ExitCode.DEVICE_FAILURE, DfuCli.oneLine(e) + "; with dfu: "
                + Remedies.advice(io.github.dfu4j.ops.Remedy.of(io.github.dfu4j.ops.Remedy.Kind.MASS_ERASE_INSTEAD)), e))
                : java.util.Optional.empty();
    }

    /** The planner's refusal ({@link DfuException.Kind#PLAN}), naming the CLI flag that overrides it instead of the API's option. */
    static CliException planRefusal(DfuException e) {
        return new CliException(ExitCode.DEVICE_FAILURE,
                Remedies.message(e).replace('\n', ' '), e);
    }

    /** --all: every matching device (USB, or the boards of --sim) in parallel, one result line (or JSON object) per device. */
    private int flashAll(FirmwareImage image, FlashOptions.Builder options, PrintWriter out, Duration appTimeout)
            throws IOException {
        // --wait-app watches each board's port itself, from the end of its leave
        options.reopenTimeout(appTimeout != null ? Duration.ZERO : deviceOptions.leaveWait());
        options.resumeWait(Duration.ofSeconds(Math.max(0, deviceOptions.waitSeconds)));
        try (DeviceSessions devices = DeviceSessions.open(deviceOptions, alt)) {
            return flashEach(devices.targets(), image, options, out, appTimeout);
        }
    }

    /** The parallel part of --all on devices opened elsewhere (tests hand it simulated boards). */
    int flashEach(List<OpenedDevice> devices, FirmwareImage image, FlashOptions.Builder options, PrintWriter out) {
        try (DeviceSessions sessions = DeviceSessions.of(deviceOptions, devices, null)) {
            return flashEach(sessions.targets(), image, options, out, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The parallel part of --all, on devices already opened (or not: their failure is reported in
     * their line): one thread per device, one result per device in the order given, exit code 1 when
     * any failed (its flash, its leave when that counts, or its application not starting under --wait-app).
     */
    int flashEach(List<DeviceSessions.Target> devices, FirmwareImage image, FlashOptions.Builder options, PrintWriter out,
                  Duration appTimeout) {
        List<CompletableFuture<Map<String, Object>>> jobs = new ArrayList<>();
        for (DeviceSessions.Target d : devices) {
            jobs.add(CompletableFuture.supplyAsync(() -> flashOneOf(d, image, options, appTimeout), runnable -> {
                Thread t = new Thread(runnable, "flash " + d.path());
                t.start();
            }));
        }
        int failures = 0;
        List<Object> results = new ArrayList<>();
        for (CompletableFuture<Map<String, Object>> job : jobs) {
            Map<String, Object> r = job.join();
            results.add(r);
            if (r.get("error") != null) {
                failures++;
            }
            if (!json) {
                @SuppressWarnings("unchecked")
                Map<String, Object> app = (Map<String, Object>) r.get("application");
                String started = app != null && Boolean.TRUE.equals(app.get("started"))
                        ? "; application started: " + app.get("device") + " after " + app.get("afterMillis") + " ms" : "";
                out.printf("%s: %s%s%s%n", r.get("path"), r.get("error") != null ? "FAILED: " + r.get("error")
                        : "flashed" + (Boolean.TRUE.equals(r.get("verified")) ? " and verified" : " (not verified)"),
                        r.get("warning") != null ? "; warning: " + r.get("warning") : "", started);
            }
        }
        if (json) {
            Map<String, Object> root = Json.object();
            root.put("devices", results);
            root.put("failed", failures);
            out.println(Json.write(root));
        }
        return failures == 0 ? ExitCode.OK : ExitCode.DEVICE_FAILURE;
    }

    private Map<String, Object> flashOneOf(DeviceSessions.Target target, FirmwareImage image, FlashOptions.Builder options,
                                           Duration appTimeout) {
        Map<String, Object> r = Json.object();
        r.put("path", target.path());
        r.put("serial", target.serial());
        if (target.session() == null) {
            r.put("error", Remedies.message(target.failure()));
            return r;
        }
        try {
            DeviceSession session = target.session();
            FlashOptions.Builder mine = options.build().toBuilder();
            if (alt != null) {
                mine.alt(AltSettings.resolve(session.transport(), alt));
            }
            DfuDevice device = session.own(Profiles.open(session.transport(), deviceOptions, null, true));
            FlashResult result;
            try {
                result = device.download(image, mine.build(), ProgressListener.NONE);
            } catch (WriteRefusedException e) {
                throw ConfirmOptions.refusal(e);
            } catch (DfuException e) {
                if (e.kind() == DfuException.Kind.PLAN) {
                    throw planRefusal(e);
                }
                throw e;
            }
            r.put("verified", result.verified());
            r.put("bytesWritten", result.writes().bytesWritten());
            r.put("leave", result.leave().map(FlashReport::leaveJson).orElse(null));
            // the same rule as for one device: the leave counts when it failed, or when --require-start asked for it
            String leaveProblem = result.leave().map(l -> l.outcome() == LeaveResult.Outcome.FAILED
                    ? "leaving DFU mode failed: " + l.error().map(Remedies::message).orElse("unknown error")
                    : l.left() ? null : "the device did not start the application (" + l.outcome() + ")").orElse(null);
            boolean counts = leaveProblem != null && exitCode(result, requireStart, !noVerify) != ExitCode.OK;
            r.put("warning", counts ? null : leaveProblem);
            r.put("error", counts ? leaveProblem : null);
            if (appTimeout != null && !counts && result.leave().isPresent()) {
                WaitApp.AppStart app = WaitApp.await(result.leave().get(), session, appTimeout);
                r.put("application", app.toJson());
                if (!app.started()) {
                    r.put("warning", null);
                    r.put("error", "--wait-app: the application did not start: " + app.problem());
                }
            }
        } catch (IOException | RuntimeException e) {
            r.put("error", DfuCli.oneLine(e));
        }
        return r;
    }

    static AddressingMode parseAddressing(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> AddressingMode.AUTO;
            case "blocks", "block-numbers", "run" -> AddressingMode.BLOCK_NUMBER;
            case "per-block", "set-address" -> AddressingMode.SET_ADDRESS_PER_BLOCK;
            default -> throw new CliException(ExitCode.USAGE, "--addressing takes auto, blocks or per-block, not '" + text + "'");
        };
    }

    static LeaveRequest parseLeave(String text) {
        if (text == null) {
            return LeaveRequest.none();
        }
        if (text.equalsIgnoreCase("auto")) {
            return LeaveRequest.auto();
        }
        try {
            return LeaveRequest.at(Numbers.parse(text));
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new CliException(ExitCode.USAGE, "--leave=" + text + ": " + e.getMessage()
                    + "; --leave alone picks the address the bootloader needs");
        }
    }
}
