package io.github.dfu4j.cli;

import io.github.dfu4j.ops.Confirmation;
import io.github.dfu4j.ops.WriteFinding;
import io.github.dfu4j.ops.WriteRefusedException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine.Option;

/**
 * The flags that grant the write gate's {@link Confirmation}s, one flag per confirmation, shared by every
 * command that writes. {@link #flagFor} is the only place that names them, and {@link #refusal} turns the
 * gate's typed refusal into the CLI's words and exit code.
 */
final class ConfirmOptions {
    @Option(names = "--allow-outside-layout", description = "Write bytes outside the device's memory layout or into sectors "
            + "the layout does not mark writable (written without erase; not verified where the layout says unreadable).")
    boolean outsideLayout;

    @Option(names = "--allow-unverified-layout", description = "Write option bytes whose byte layout dfu4j has not verified "
            + "[U] or cannot decode (a wrong layout writes wrong bits).")
    boolean unverifiedLayout;

    @Option(names = "--allow-boot-lock", description = "Write a boot selection after which BOOT0 low no longer starts the "
            + "application (e.g. F0 BOOT_SEL=0 with nBOOT0=0: the chip boots the ROM on every reset) or BOOT0 high no longer "
            + "reaches the ROM.")
    boolean bootLock;

    @Option(names = "--allow-mass-erase", description = "Allow what erases the whole flash: RDP level 1 -> 0, READ_UNPROTECT.")
    boolean massErase;

    @Option(names = "--allow-read-protection", description = "Turn read protection on (RDP level 0 -> 1); undoing it later "
            + "erases the whole flash.")
    boolean readProtection;

    @Option(names = "--allow-rdp-level-2", description = "Allow RDP level 2: permanent, the chip can never be read, debugged "
            + "or reprogrammed over DFU again.")
    boolean rdpLevel2;

    @Option(names = "--allow-otp-write", description = "Write one-time-programmable memory: permanent, it can never be erased.")
    boolean otpWrite;

    @Option(names = "--allow-other-device", description = "Flash a file whose DFU suffix names another USB vendor/product ID.")
    boolean otherDevice;

    @Option(names = "--expect-reset", description = "The write makes the device reset (a raw option-byte or configuration "
            + "write; dfu-util's :will-reset): written last as one range, the device leaving the bus is its expected end, "
            + "read back if it comes back in DFU mode.")
    boolean expectReset;

    /** What the user confirmed on the command line. */
    Set<Confirmation> granted() {
        Set<Confirmation> out = EnumSet.noneOf(Confirmation.class);
        add(out, outsideLayout, Confirmation.OUTSIDE_LAYOUT);
        add(out, unverifiedLayout, Confirmation.UNVERIFIED_LAYOUT);
        add(out, bootLock, Confirmation.BOOT_LOCK);
        add(out, massErase, Confirmation.MASS_ERASE);
        add(out, readProtection, Confirmation.READ_PROTECTION_ON);
        add(out, rdpLevel2, Confirmation.IRREVERSIBLE_RDP_LEVEL_2);
        add(out, otpWrite, Confirmation.OTP_WRITE);
        add(out, otherDevice, Confirmation.OTHER_DEVICE);
        add(out, expectReset, Confirmation.DEVICE_RESET);
        return out;
    }

    private static void add(Set<Confirmation> out, boolean on, Confirmation c) {
        if (on) {
            out.add(c);
        }
    }

    /** The one CLI flag that grants each confirmation; refusals name exactly these. */
    static String flagFor(Confirmation c) {
        return switch (c) {
            case OUTSIDE_LAYOUT -> "--allow-outside-layout";
            case UNVERIFIED_LAYOUT -> "--allow-unverified-layout";
            case BOOT_LOCK -> "--allow-boot-lock";
            case MASS_ERASE -> "--allow-mass-erase";
            case READ_PROTECTION_ON -> "--allow-read-protection";
            case IRREVERSIBLE_RDP_LEVEL_2 -> "--allow-rdp-level-2";
            case OTP_WRITE -> "--allow-otp-write";
            case OTHER_DEVICE -> "--allow-other-device";
            case DEVICE_RESET -> "--expect-reset";
        };
    }

    /** The gate's refusal in the CLI's words: exit 2 when a flag lifts it, 1 when nothing can. */
    static CliException refusal(WriteRefusedException e) {
        StringJoiner why = new StringJoiner("; ");
        Set<String> flags = new LinkedHashSet<>();
        for (WriteFinding f : e.blocking()) {
            why.add(f.remedy().map(r -> f.message() + "; " + Remedies.advice(r)).orElse(f.message()));
            f.needs().ifPresent(c -> flags.add(flagFor(c)));
        }
        if (e.blocking().stream().anyMatch(f -> f.kind() == WriteFinding.Kind.OPTION_BYTES_UNDECODED)) {
            why.add("to change option bytes by field with review, use 'dfu option-bytes set FIELD=VALUE'");
        }
        boolean impossible = e.impossible();
        String message = "refused, nothing was written: " + why + (impossible ? "" : "; to write anyway add " + String.join(" ", flags));
        return new CliException(impossible ? ExitCode.DEVICE_FAILURE : ExitCode.USAGE, message, e);
    }
}
