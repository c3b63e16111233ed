package io.github.dfu4j.cli;

import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.EraseResult;
import io.github.dfu4j.dfu.DfuCancelledException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfu erase}: erase sectors of a range, or mass-erase. */
@Command(name = "erase", description = "Erase the sectors covering --address/--length, or the whole memory with --mass-erase --force.")
final class EraseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Option(names = "--address", converter = Numbers.class, paramLabel = "ADDR", description = "First address to erase.")
    Long address;

    @Option(names = "--length", converter = Numbers.class, paramLabel = "N", description = "Bytes to erase (whole sectors are erased).")
    Long length;

    @Option(names = "--mass-erase", description = "Erase the whole memory of the alternate setting (needs --force).")
    boolean massErase;

    // Only a confirmation: sector erases are always checked against the memory layout (non-erasable
    // sectors are refused), and no flag relaxes that.
    @Option(names = "--force", description = "Confirm --mass-erase. Sector erases are always limited to erasable sectors of the layout.")
    boolean force;

    @Option(names = {"-a", "--alt"}, paramLabel = "N|NAME", description = "Alternate setting (memory); default 0.")
    String alt;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (massErase == (address != null)) {
            throw new CliException(ExitCode.USAGE, "give either --address ADDR --length N, or --mass-erase --force");
        }
        if (massErase && !force) {
            throw new CliException(ExitCode.USAGE, "--mass-erase erases everything; add --force to confirm");
        }
        if (address != null && (length == null || length <= 0)) {
            throw new CliException(ExitCode.USAGE, "--address needs --length N (N > 0)");
        }
        EraseResult result;
        Map<String, Object> deviceJson;
        try (DeviceSession session = DeviceSession.open(deviceOptions, alt)) {
            deviceJson = session.identityJson();
            int altSetting = alt == null ? 0 : AltSettings.resolve(session.transport(), alt);
            DfuDevice device = Profiles.open(session.transport(), deviceOptions, spec.commandLine().getErr(), json);
            try {
                result = massErase ? device.massErase(altSetting, ProgressBar.forTerminal(spec.commandLine().getErr(), null),
                        Interruption.token())
                        : device.erase(altSetting, address, address + length,
                        ProgressBar.forTerminal(spec.commandLine().getErr(), null), Interruption.token());
            } catch (DfuCancelledException e) {
                if (e.changes().isEmpty()) {
                    throw e; // not an operation's report: the generic "interrupted" line
                }
                throw InterruptedReport.erase(e, massErase);
            }
        }
        if (json) {
            Map<String, Object> m = Json.object();
            m.put("device", deviceJson);
            m.put("massErase", result.massErase());
            m.put("erased", FlashReport.ranges(result.erased()));
            m.put("wedgeRecoveries", result.wedgeRecoveries());
            m.put("seconds", result.elapsed().toNanos() / 1e9);
            spec.commandLine().getOut().println(Json.write(m));
        } else if (result.massErase()) {
            spec.commandLine().getOut().printf("Mass erase done in %s.%n", FlashReport.seconds(result.elapsed()));
        } else {
            spec.commandLine().getOut().printf("Erased %d sector(s) in %s.%n", result.erased().size(), FlashReport.seconds(result.elapsed()));
            result.erased().forEach(r -> spec.commandLine().getOut().println("  " + r));
        }
        return ExitCode.OK;
    }
}
