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
 * {@code dfu option-bytes show|set}: decode the STM32 option bytes of a ROM bootloader, and change
 * named fields with the interlocks of {@link OptionBytePolicy} (RDP level 2, RDP 1 → 0 mass erase,
 * boot selections that lock the chip in the ROM, unverified layouts). Writing makes the ROM reset the
 * chip; the command waits for it to come back and reads the option bytes back.
 */
@Command(name = "option-bytes",
        description = {"Show or change the STM32 option bytes (read protection, boot selection, watchdogs, write protection) "
                + "through the ROM bootloader's \"Option Bytes\" alt setting.",
                "Field names are those of the reference manuals, e.g. RDP, BOOT_SEL, nBOOT0, nBOOT1, BOR_LEV, nWRP, nDBANK, BOOT_ADD0."},
        subcommands = {OptionBytesCommand.ShowCommand.class, OptionBytesSetCommand.class})
final class OptionBytesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CliException(ExitCode.USAGE, "give a subcommand: 'dfu option-bytes show' or 'dfu option-bytes set FIELD=VALUE...'");
    }

    /** An opened device with its option-byte layout. */
    record Target(DfuDevice device, OptionByteLayout layout, int alt, String source) {
    }

    static Target open(DeviceSession session) throws DfuException {
        DeviceProfile profile = Profiles.forTransport(session.transport(), session.options());
        DfuDevice device = DfuDevice.open(session.transport(), profile);
        OptionByteLayout layout = OptionByteLayouts.forAltSettings(device.altSettings()).orElseThrow(() -> new CliException(
                ExitCode.DEVICE_FAILURE, session.describe() + " has no STM32 ROM \"Option Bytes\" alt setting dfu4j knows "
                + "(mboot and other bootloaders do not expose option bytes)"));
        int alt = OptionByteProgrammer.altHolding(device, layout.address()).orElseThrow(() -> new CliException(
                ExitCode.DEVICE_FAILURE, String.format("%s: no alt setting holds the option bytes at 0x%08X", session.describe(),
                layout.address())));
        return new Target(device, layout, alt, "alt " + alt + " of " + session.transport().device().path());
    }

    /** Reads and decodes; under RDP level 1 the ROM refuses and the error says what to do. */
    static OptionByteReport read(Target t) throws DfuException {
        try {
            return t.layout().decode(OptionByteProgrammer.read(t.device(), t.layout()), t.source());
        } catch (OptionByteFormatException e) {
            throw new CliException(ExitCode.DEVICE_FAILURE, e.getMessage(), e);
        } catch (DfuException e) {
            if (ReadProtection.isReadProtectionError(e)) {
                throw new CliException(ExitCode.DEVICE_FAILURE, "cannot read the option bytes: " + Remedies.readProtection(), e);
            }
            throw e;
        }
    }

    // ---- show ----------------------------------------------------------------------------------------------

    @Command(name = "show", description = "Read and decode the option bytes: every field with its meaning, the boot selection and the raw bytes.")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DeviceOptions deviceOptions = new DeviceOptions();

        @Option(names = "--json", description = "Print the result as one JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (DeviceSession session = DeviceSession.open(deviceOptions, null)) {
                Target t = open(session);
                OptionByteReport r = read(t);
                if (json) {
                    out.println(Json.write(toJson(t, r)));
                } else {
                    printReport(session.describe(), t, r, out);
                }
            }
            return ExitCode.OK;
        }
    }

    static void printReport(String device, Target t, OptionByteReport r, PrintWriter out) {
        OptionByteLayout l = t.layout();
        out.printf("%s option bytes (%s, %s)%n", l.family(), l.chipId(), t.source());
        int width = l.fields().stream().mapToInt(f -> f.name().length()).max().orElse(8);
        for (FieldReading f : r.fields()) {
            out.printf("  %-" + width + "s  %-6s  %s%n", f.name(), f.formatted(), f.meaning());
        }
        out.printf("Boot: BOOT0 low → %s; BOOT0 high → %s%n", r.bootTarget(false).description(), r.bootTarget(true).description());
        Map<String, Long> repair = OptionBytePolicy.bootRepair(r);
        if (!repair.isEmpty()) {
            out.printf("Warning: %s; to restore: dfu option-bytes set %s%n", bootProblem(r), assignments(l, repair));
        }
        if (!r.complementsValid()) {
            out.println("Warning: complement errors (the chip uses defaults for these bytes): " + r.complementErrors());
        }
        for (int b = 0; b < l.blocks().size(); b++) {
            OptionByteLayout.Block block = l.blocks().get(b);
            out.printf("Raw: 0x%08X %s%n", block.address(), r.image().hex(b));
        }
        out.printf("Layout %s: %s%n", l.evidence().tag(), l.evidenceNote());
    }

    private static String bootProblem(OptionByteReport r) {
        if (r.bootTarget(false) != BootTarget.MAIN_FLASH) {
            return "with BOOT0 low the chip boots " + r.bootTarget(false).description() + ", not the application ("
                    + r.layout().bootExplanation(r, false) + ")";
        }
        return "BOOT0 high does not reach the ROM bootloader: it boots " + r.bootTarget(true).description() + " ("
                + r.layout().bootExplanation(r, true) + ")";
    }

    static String assignments(OptionByteLayout l, Map<String, Long> values) {
        StringJoiner j = new StringJoiner(" ");
        values.forEach((name, v) -> j.add(name + "=" + l.field(name).orElseThrow().format(v)));
        return j.toString();
    }

    static Map<String, Object> toJson(Target t, OptionByteReport r) {
        OptionByteLayout l = t.layout();
        Map<String, Object> m = Json.object();
        m.put("chip", l.chipId());
        m.put("family", l.family());
        m.put("alt", t.alt());
        m.put("layoutEvidence", l.evidence().tag());
        m.put("layoutNote", l.evidenceNote());
        m.put("rdpLevel", r.rdpLevel());
        List<Object> fields = new ArrayList<>();
        for (FieldReading f : r.fields()) {
            Map<String, Object> fm = Json.object();
            fm.put("name", f.name());
            fm.put("value", f.value());
            fm.put("text", f.formatted());
            fm.put("meaning", f.meaning());
            fm.put("evidence", f.field().evidence().tag());
            fields.add(fm);
        }
        m.put("fields", fields);
        Map<String, Object> boot = Json.object();
        boot.put("boot0Low", r.bootTarget(false));
        boot.put("boot0High", r.bootTarget(true));
        Map<String, Long> repair = OptionBytePolicy.bootRepair(r);
        boot.put("repair", repair.isEmpty() ? null : assignments(l, repair));
        m.put("boot", boot);
        m.put("complementErrors", r.complementErrors().stream().map(Object::toString).toList());
        List<Object> blocks = new ArrayList<>();
        for (int b = 0; b < l.blocks().size(); b++) {
            Map<String, Object> bm = Json.object();
            bm.put("address", Json.hex(l.blocks().get(b).address()));
            bm.put("hex", r.image().hex(b));
            blocks.add(bm);
        }
        m.put("blocks", blocks);
        return m;
    }
}
