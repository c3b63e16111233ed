package io.github.dfu4j.cli;

import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfu reset}: a USB bus reset of the device, like dfu-util's {@code -R}, then what is at its
 * port. What a reset does is the device's business: a DFU 1.1 device in dfuMANIFEST-WAIT-RESET starts
 * its application, a run-time device in appDETACH starts its bootloader (DFU 1.1 §5.1), an ST ROM in
 * dfuIDLE stays in DFU mode.
 */
@Command(name = "reset", description = {"Send a USB reset to the device (run-time or DFU mode) and say what is at its port "
        + "afterwards."})
final class ResetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Option(names = "--settle", paramLabel = "SECONDS", defaultValue = "1",
            description = "How long to let the device re-enumerate before looking at its port. Default 1.")
    double settleSeconds;

    @Override
    public Integer call() throws IOException {
        if (!(settleSeconds >= 0) || settleSeconds > 60) {
            throw new CliException(ExitCode.USAGE, "--settle takes 0 to 60 seconds, not " + settleSeconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DeviceSession session = DeviceSession.openAsIs(deviceOptions)) {
            DfuTransport t = session.transport();
            DevicePort port = t.port();
            String was = t.device().vidPid() + (t.device().dfuMode() ? " (DFU mode)" : " (run-time mode)") + " at " + port.path();
            t.reset();
            Duration settle = Duration.ofMillis(Math.round(settleSeconds * 1000));
            // a device that re-enumerates in DFU mode is opened (and closed with the session); else whatever is there now
            PortState now = session.outsideExchange(() -> {
                var back = port.awaitDfu(settle);
                if (back.isPresent()) {
                    session.replaceTransport(back.get());
                }
                return port.state();
            });
            out.printf("Reset %s; now at %s: %s.%n", was, port.path(), now.summary());
        }
        return ExitCode.OK;
    }
}
