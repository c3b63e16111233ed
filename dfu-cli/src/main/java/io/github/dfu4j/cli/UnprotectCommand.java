package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.stm32.optionbytes.OptionByteFormatException;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayout;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayouts;
import io.github.dfu4j.stm32.optionbytes.OptionByteProgrammer;
import io.github.dfu4j.stm32.optionbytes.ReadProtection;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfu unprotect --force}: the DfuSe READ_UNPROTECT command. The ST ROM mass-erases the flash,
 * sets RDP level 0 and resets; the command waits for the device to come back and reports the new
 * read-protection level.
 */
@Command(name = "unprotect", description = {
        "Remove STM32 read protection (RDP level 1 -> 0) with the ROM's READ_UNPROTECT command.",
        "The ROM mass-erases the whole flash (firmware and data are lost), sets RDP level 0 and resets the chip. Needs --force."})
final class UnprotectCommand implements Callable<Integer> {
    /** F405 mass erase takes up to ~32 s (docs/reference/dfu.md §2.7 item 6); wait a little longer by default. */
    static final int DEFAULT_RESET_WAIT_SECONDS = 40;

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Option(names = "--force", description = "Confirm: the flash is mass-erased.")
    boolean force;

    @Option(names = "--reset-wait", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_RESET_WAIT_SECONDS,
            description = "How long to wait for the device to come back after the mass erase. Default 40.")
    int resetWaitSeconds;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!force) {
            throw new CliException(ExitCode.USAGE, ReadProtection.UNPROTECT_CONSEQUENCES + "; add --force to confirm");
        }
        if (resetWaitSeconds < 0) {
            throw new CliException(ExitCode.USAGE, "--reset-wait must be 0 or more seconds");
        }
        try (DeviceSession session = DeviceSession.open(deviceOptions, null)) {
            return unprotect(session, Duration.ofSeconds(resetWaitSeconds), json, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }

    /**
     * {@code dfu option-bytes set RDP=LEVEL0} on a read-protected chip: the option bytes cannot even be
     * read, and going to level 0 is exactly READ_UNPROTECT.
     */
    static int unprotectFromLevel1(DeviceSession session, boolean allowMassErase, boolean json, DeviceOptions options,
                                   PrintWriter out, PrintWriter err) throws IOException {
        if (!allowMassErase) {
            throw new CliException(ExitCode.USAGE, "the chip is read-protected (RDP level 1), so RDP=LEVEL0 means READ_UNPROTECT: "
                    + ReadProtection.UNPROTECT_CONSEQUENCES + "; add --allow-mass-erase to confirm (the same as 'dfu unprotect --force')");
        }
        return unprotect(session, Duration.ofSeconds(Math.max(DEFAULT_RESET_WAIT_SECONDS, options.waitSeconds)), json, out, err);
    }

    static int unprotect(DeviceSession session, Duration wait, boolean json, PrintWriter out, PrintWriter err) throws IOException {
        DeviceProfile profile = Profiles.forTransport(session.transport(), session.options());
        DfuDevice device = DfuDevice.open(session.transport(), profile);
        Optional<OptionByteLayout> layout = OptionByteLayouts.forAltSettings(device.altSettings());
        Integer before = layout.isPresent() ? rdpLevel(device, layout.get()) : null;
        if (!json) {
            if (before != null && before == 0) {
                err.println("dfu: read protection is not active (RDP level 0); READ_UNPROTECT still mass-erases the flash");
            }
            err.println("dfu: " + ReadProtection.UNPROTECT_CONSEQUENCES);
        }
        OptionByteProgrammer.UnprotectOutcome u = new OptionByteProgrammer(profile, wait)
                .readUnprotect(session.transport(), io.github.dfu4j.ops.Confirmation.MASS_ERASE); // confirmed by the callers above
        Integer after = null;
        // the outcome carries no transport: the session reconnects through the port the device came back at
        if (u.backInDfu() && layout.isPresent() && session.reconnect(Duration.ZERO)) {
            after = rdpLevel(DfuDevice.open(session.transport(), profile), layout.get());
        }
        if (json) {
            Map<String, Object> m = Json.object();
            m.put("rdpLevelBefore", before);
            m.put("backInDfu", u.backInDfu());
            m.put("rdpLevelAfter", after);
            out.println(Json.write(m));
        } else if (!u.backInDfu()) {
            out.printf("READ_UNPROTECT accepted; the device did not come back in DFU mode within %d s (the mass erase can take "
                    + "up to ~32 s on F4, and with BOOT0 low an erased chip need not enter the ROM by itself). Put it into DFU "
                    + "mode and run 'dfu option-bytes show' to check.%s%n", wait.toSeconds(),
                    u.atPort().map(p -> " At its port now: " + p.summary() + ".").orElse(""));
        } else if (after == null) {
            out.println("READ_UNPROTECT done: the flash was mass-erased and the device is back in DFU mode.");
        } else {
            out.printf("READ_UNPROTECT done: RDP level %s -> %d%s; the flash was mass-erased and the device is back in DFU mode.%n",
                    before == null ? "?" : before.toString(), after, after == 0 ? " (0xAA, unprotected)" : " (still protected)");
        }
        return after != null && after != 0 ? ExitCode.DEVICE_FAILURE : ExitCode.OK;
    }

    /** The RDP level from the option bytes; 1 when the ROM refuses to read them (that refusal is RDP level 1). */
    private static Integer rdpLevel(DfuDevice device, OptionByteLayout layout) throws DfuException {
        try {
            return layout.decode(OptionByteProgrammer.read(device, layout), device.info().path()).rdpLevel();
        } catch (DfuException e) {
            if (ReadProtection.isReadProtectionError(e)) {
                return 1;
            }
            throw e;
        } catch (OptionByteFormatException e) {
            return null;
        }
    }
}
