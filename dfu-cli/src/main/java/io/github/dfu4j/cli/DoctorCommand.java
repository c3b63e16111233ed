package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.DoctorReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfu doctor}: USB backends, libusb version, visible DFU devices, and what to do when one cannot be opened. */
@Command(name = "doctor", description = "Check USB backends, libusb, visible DFU devices and access to them; say what to fix (udev rule, Windows driver).")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto", description = "USB backend: auto, jna or usb4java.")
    String backend;

    @Override
    public Integer call() {
        DoctorReport report = DoctorReport.run(DeviceSession.backendChoice(backend));
        if (json) {
            spec.commandLine().getOut().println(Json.write(report.toMap()));
        } else {
            spec.commandLine().getOut().print(report.toText());
        }
        return report.healthy() ? ExitCode.OK : ExitCode.NO_DEVICE;
    }
}
