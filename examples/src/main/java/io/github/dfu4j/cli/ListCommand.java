package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.DfuDeviceDescription;
import io.github.dfu4j.libusb.UsbBackend;
import io.github.dfu4j.libusb.UsbBackends;
import io.github.dfu4j.sim.SimulatedDevices;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfu list}: DFU-capable USB devices, or the built-in simulated devices. */
@Command(name = "list", description = "List DFU-capable USB devices (run-time and DFU mode, every alternate setting), or with --sim the built-in simulated devices.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sim", description = "List the simulated devices usable with --sim CHIP.")
    boolean sim;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = {"-d", "--device"}, paramLabel = "VID:PID[,VID:PID]", description = "Only devices with these ids.")
    String device;

    @Option(names = {"-S", "--serial"}, paramLabel = "SERIAL", description = "Only devices with this serial.")
    String serial;

    @Option(names = {"-p", "--path"}, paramLabel = "BUS-PORT", description = "Only the device at this port path.")
    String path;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto", description = "USB backend: auto, jna or usb4java.")
    String backend;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (sim) {
            List<Object> entries = new ArrayList<>();
            for (SimulatedDevices.Entry e : SimulatedDevices.ids()) {
                if (json) {
                    Map<String, Object> m = Json.object();
                    m.put("id", e.id());
                    m.put("description", e.description());
                    entries.add(m);
                } else {
                    out.printf("%-16s %s%n", e.id(), e.description());
                }
            }
            if (json) {
                Map<String, Object> root = Json.object();
                root.put("simulated", entries);
                out.println(Json.write(root));
            }
            return ExitCode.OK;
        }
        try (UsbBackend usb = UsbBackends.open(DeviceSession.parseBackend(backend))) {
            DeviceFilter filter = DeviceFilter.parse(device, serial, path, null);
            List<DfuDeviceDescription> devices = usb.list(filter);
            if (json) {
                Map<String, Object> root = Json.object();
                root.put("backend", usb.kind().name());
                root.put("libusb", usb.libusbVersion());
                List<Object> list = new ArrayList<>();
                devices.forEach(d -> list.add(d.toMap()));
                root.put("devices", list);
                out.println(Json.write(root));
            } else if (devices.isEmpty()) {
                out.println("No DFU-capable USB device found. 'dfu doctor' checks backends and permissions; 'dfu list --sim' lists simulated devices.");
            } else {
                for (DfuDeviceDescription d : devices) {
                    d.listing().forEach(out::println);
                }
            }
        }
        return ExitCode.OK;
    }
}
