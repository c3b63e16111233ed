package io.github.dfu4j.cli;

import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dfu detach}: switch a device in run-time mode (an application with a DFU run-time interface)
 * to DFU mode and nothing else, like dfu-util's {@code -e}: DFU_DETACH, then a USB reset when its
 * functional descriptor has bitWillDetach 0 (DFU 1.1 §5.1), then it waits for the bootloader at the
 * same port.
 */
@Command(name = "detach", description = {"Switch a run-time-mode device (an application with a DFU run-time interface) to DFU mode: "
        + "DFU_DETACH, then a USB reset unless it detaches itself (bitWillDetach), then wait up to --wait seconds for its "
        + "bootloader at the same port."})
final class DetachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (DeviceSession session = DeviceSession.openAsIs(deviceOptions)) {
            DfuTransport t = session.transport();
            if (!Detach.runtime(t)) {
                out.printf("%s at %s is already in DFU mode; nothing sent.%n", t.device().vidPid(), t.device().path());
                return ExitCode.OK;
            }
            DevicePort port = t.port();
            String was = t.device().vidPid() + " at " + port.path();
            long start = port.time().nanoTime();
            Detach.Sent sent = Detach.send(t);
            Duration timeout = Duration.ofSeconds(deviceOptions.waitSeconds);
            Optional<DfuTransport> back = session.outsideExchange(() -> port.awaitDfu(timeout));
            long ms = (port.time().nanoTime() - start) / 1_000_000;
            if (back.isEmpty()) {
                PortState now = port.state();
                throw new CliException(ExitCode.NO_DEVICE, String.format("%s: sent %s; no DFU-mode device appeared at %s within %d ms"
                        + " (now there: %s)", was, sent.describe(), port.path(), timeout.toMillis(), now.summary()));
            }
            session.replaceTransport(back.get());
            out.printf("Detached %s: sent %s; %s after %d ms.%n", was, sent.describe(), port.state().summary(), ms);
        }
        return ExitCode.OK;
    }
}
