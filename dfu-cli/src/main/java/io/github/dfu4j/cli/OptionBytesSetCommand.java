package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.stm32.optionbytes.BootTarget;
import io.github.dfu4j.ops.Confirmation;
import io.github.dfu4j.stm32.optionbytes.Review.FieldChange;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport.FieldReading;
import io.github.dfu4j.stm32.optionbytes.Review.Finding;
import io.github.dfu4j.stm32.optionbytes.OptionByteFormatException;
import io.github.dfu4j.stm32.optionbytes.OptionByteImage;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayout;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayouts;
import io.github.dfu4j.stm32.optionbytes.OptionBytePolicy;
import io.github.dfu4j.stm32.optionbytes.OptionByteProgrammer;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport;
import io.github.dfu4j.stm32.optionbytes.ReadProtection;
import io.github.dfu4j.stm32.optionbytes.Review;
import io.github.dfu4j.transport.PortState;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dfu option-bytes set FIELD=VALUE...}: the write half of {@link OptionBytesCommand} (which reads,
 * opens and decodes), with the review, the refusals that name the flag a risky write needs, the write
 * and its read-back verdict. Split from OptionBytesCommand to keep both under the ~400-line rule.
 */
@Command(name = "set", description = {
        "Change option-byte fields: FIELD=VALUE with the reference-manual name and a value (named, decimal or 0x-hex), "
                + "e.g. BOOT_SEL=1, RDP=LEVEL1, RDP=0xAA, BOR_LEV=OFF.",
        "Shows the changes and their consequences, writes (the ROM resets the chip), waits for the device and reads back.",
        "Each risky write needs its own flag: --allow-unverified-layout (or --force) for a layout dfu4j has not verified [U], --allow-boot-lock for a boot "
                + "selection that keeps the chip out of the application or the ROM, --allow-read-protection for RDP level 0 -> 1, "
                + "--allow-mass-erase for RDP level 1 -> 0, --allow-rdp-level-2 for RDP level 2. A refusal names the flag it needs.",
        "RDP takes levels: RDP=0|1|2 or RDP=LEVEL0|LEVEL1|LEVEL2; a raw byte only as RDP=0xNN."})
final class OptionBytesSetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Parameters(paramLabel = "FIELD=VALUE", arity = "1..*", description = "Fields to change.")
    List<String> assignments;

    @Option(names = "--force", description = "The same as --allow-unverified-layout (kept for existing scripts).")
    boolean force;

    @Mixin
    ConfirmOptions confirm = new ConfirmOptions();

    @Option(names = "--dry-run", description = "Show the changes and the verdict without writing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<Confirmation> granted = EnumSet.noneOf(Confirmation.class);
        granted.addAll(confirm.granted());
        if (force) {
            granted.add(Confirmation.UNVERIFIED_LAYOUT);
        }
        boolean allowMassErase = granted.contains(Confirmation.MASS_ERASE);
        try (DeviceSession session = DeviceSession.open(deviceOptions, null)) {
            OptionBytesCommand.Target t = OptionBytesCommand.open(session);
            Map<String, Long> values;
            try {
                values = t.layout().parseAssignments(assignments);
            } catch (OptionByteFormatException e) { // a FIELD=VALUE that does not fit the chip: a usage error
                throw new CliException(ExitCode.USAGE, e.getMessage(), e);
            }
            OptionByteReport current;
            try {
                current = OptionBytesCommand.read(t);
            } catch (CliException e) {
                if (e.getCause() != null && ReadProtection.isReadProtectionError(e.getCause()) && isRdpLevel0Only(t.layout(), values)) {
                    return UnprotectCommand.unprotectFromLevel1(session, allowMassErase, json, deviceOptions, out, err);
                }
                throw e;
            }
            Review review = OptionBytePolicy.review(current, values);
            List<Finding> blocking = review.blocking(granted);
            if (!json) {
                printReview(review, granted, out);
            }
            if (review.isNoOp()) {
                if (json) {
                    out.println(Json.write(reviewJson(review, granted, false)));
                }
                return ExitCode.OK;
            }
            if (!blocking.isEmpty()) {
                if (json) {
                    out.println(Json.write(reviewJson(review, granted, false)));
                }
                throw refusal(blocking);
            }
            if (dryRun) {
                if (json) {
                    out.println(Json.write(reviewJson(review, granted, false)));
                } else {
                    out.println("Dry run: nothing written.");
                }
                return ExitCode.OK;
            }
            if (!json) {
                err.println("dfu: writing the option bytes of " + session.describe() + "; the chip resets now");
            }
            OptionByteProgrammer programmer = new OptionByteProgrammer(Profiles.forTransport(session.transport(), session.options()),
                    Duration.ofSeconds(Math.max(1, deviceOptions.waitSeconds)));
            OptionByteProgrammer.WriteOutcome w = programmer.write(session.transport(), t.layout(), current.image(),
                    review.proposed().image(), granted);
            int code = outcomeCode(w, review);
            if (json) {
                Map<String, Object> m = reviewJson(review, granted, true);
                m.put("writes", w.writes().stream().map(b -> (Object) Map.of("block", b.block(), "address", Json.hex(b.address()),
                        "resetSeen", b.resetSeen())).toList());
                m.put("backInDfu", w.backInDfu());
                m.put("readBack", readBackVerdict(w, review).name());
                out.println(Json.write(m));
            } else {
                printOutcome(w, review, deviceOptions.waitSeconds, out);
            }
            return code;
        }
    }

    private static boolean isRdpLevel0Only(OptionByteLayout l, Map<String, Long> values) {
        return values.size() == 1 && values.containsKey(l.rdpField().name())
                && ReadProtection.level((int) (long) values.get(l.rdpField().name())) == 0;
    }

    static CliException refusal(List<Finding> blocking) {
        StringJoiner why = new StringJoiner("; ");
        boolean impossible = false;
        Set<String> flags = new LinkedHashSet<>();
        for (Finding f : blocking) {
            why.add(Remedies.finding(f));
            impossible |= f.severity() == Finding.Severity.IMPOSSIBLE;
            f.needs().ifPresent(c -> flags.add(flagFor(c)));
        }
        String message = "refused: " + why + (impossible ? "" : "; to write anyway add " + String.join(" ", flags));
        return new CliException(impossible ? ExitCode.DEVICE_FAILURE : ExitCode.USAGE, message);
    }

    /** The one CLI flag that grants each confirmation (see {@link ConfirmOptions#flagFor}). */
    static String flagFor(Confirmation c) {
        return ConfirmOptions.flagFor(c);
    }

    static void printReview(Review review, Set<Confirmation> granted, PrintWriter out) {
        if (review.isNoOp()) {
            out.println("Nothing to write: the option bytes already have these values.");
            return;
        }
        if (!review.changes().isEmpty()) {
            out.println("Changes:");
            for (FieldChange c : review.changes()) {
                out.println("  " + c);
            }
        }
        for (Finding f : review.findings()) {
            String mark = f.blocks(granted) ? "!" : f.severity() == Finding.Severity.INFO ? "-" : "+";
            out.println("  " + mark + " " + Remedies.finding(f));
        }
    }

    /** What reading the option bytes back after a write showed (the JSON "readBack" value is the name). */
    enum ReadBack { SKIPPED, MATCHES, DIFFERS, REFUSED_READ_PROTECTION, FAILED }

    private static ReadBack readBackVerdict(OptionByteProgrammer.WriteOutcome w, Review review) {
        if (!w.backInDfu()) {
            return ReadBack.SKIPPED;
        }
        if (w.readBack().isPresent()) {
            return w.readBackMatches(review.proposed().image()) ? ReadBack.MATCHES : ReadBack.DIFFERS;
        }
        return w.readBackError().map(ReadProtection::isReadProtectionError).orElse(false)
                ? ReadBack.REFUSED_READ_PROTECTION : ReadBack.FAILED;
    }

    private static int outcomeCode(OptionByteProgrammer.WriteOutcome w, Review review) {
        return switch (readBackVerdict(w, review)) {
            case DIFFERS, FAILED -> ExitCode.DEVICE_FAILURE;
            case REFUSED_READ_PROTECTION -> review.proposed().rdpLevel() != 0 ? ExitCode.OK : ExitCode.DEVICE_FAILURE;
            case SKIPPED, MATCHES -> ExitCode.OK;
        };
    }

    private static void printOutcome(OptionByteProgrammer.WriteOutcome w, Review review, int waitSeconds, PrintWriter out) {
        for (OptionByteProgrammer.BlockWrite b : w.writes()) {
            out.printf("Wrote option-byte block %d (0x%08X); %s%n", b.block(), b.address(),
                    b.resetSeen() ? "the chip reset as expected." : "the device did not disconnect during the write.");
        }
        switch (readBackVerdict(w, review)) {
            case SKIPPED -> out.printf("The device did not come back in DFU mode within %d s: %s; read-back skipped. Enter DFU"
                    + " mode and run 'dfu option-bytes show' to check.%n", waitSeconds, notBack(w.atPort()));
            case MATCHES -> out.println("Back in DFU mode; read back: matches.");
            case DIFFERS -> {
                out.println("Back in DFU mode; read back DIFFERS from what was written:");
                OptionByteImage back = w.readBack().orElseThrow();
                for (int b = 0; b < back.blockCount(); b++) {
                    out.printf("  block %d wrote %s%n  block %d read  %s%n", b, review.proposed().image().hex(b), b, back.hex(b));
                }
            }
            case REFUSED_READ_PROTECTION -> out.println(switch (review.proposed().rdpLevel()) {
                case 1 -> "Back in DFU mode; read back refused: read protection (RDP level 1) is now active (expected). "
                        + "`dfu unprotect --force` removes it and mass-erases the flash.";
                case 2 -> "Back in DFU mode; read back refused: read protection level 2 is now active (permanent).";
                default -> "Back in DFU mode; read back refused: " + Remedies.readProtection() + " (the write did not take effect).";
            });
            case FAILED -> out.println("Back in DFU mode; read back failed: " + w.readBackError().map(Remedies::message).orElse("?"));
        }
    }

    /** Why the device is not back in DFU mode, from what was at its port when the wait ended. */
    static String notBack(Optional<PortState> atPort) {
        if (atPort.isPresent() && atPort.get().mode().isApplication()) {
            return "it is running the application (" + atPort.get().summary() + ")";
        }
        if (atPort.isPresent() && atPort.get().mode() == PortState.Mode.EMPTY) {
            return "nothing is at its port (still resetting, or unplugged)";
        }
        return "it is running the application (BOOT0 low)"; // the port could not look: the usual reason
    }

    static Map<String, Object> reviewJson(Review review, Set<Confirmation> granted, boolean written) {
        Map<String, Object> m = Json.object();
        m.put("chip", review.current().layout().chipId());
        List<Object> changes = new ArrayList<>();
        for (FieldChange c : review.changes()) {
            Map<String, Object> cm = Json.object();
            cm.put("field", c.field().name());
            cm.put("before", c.before());
            cm.put("after", c.after());
            cm.put("meaning", c.field().meaning(c.after()));
            changes.add(cm);
        }
        m.put("changes", changes);
        List<Object> findings = new ArrayList<>();
        for (Finding f : review.findings()) {
            Map<String, Object> fm = Json.object();
            fm.put("kind", f.kind());
            fm.put("severity", f.severity());
            fm.put("blocks", f.blocks(granted));
            fm.put("needs", f.needs().map(Enum::name).orElse(null));
            fm.put("message", Remedies.finding(f));
            findings.add(fm);
        }
        m.put("findings", findings);
        m.put("written", written);
        return m;
    }
}
