package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.DfuDeviceDescription;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.libusb.UsbBackend;
import io.github.dfu4j.libusb.UsbBackends;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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

    @Option(names = "--sim", arity = "0..1", fallbackValue = "", paramLabel = "CHIP[,CHIP...]",
            description = "List the simulated devices usable with --sim CHIP; with ids, the boards that --sim CHIP,CHIP,... "
                    + "plugs in, as USB devices are listed (serials, paths; -d/-S/-p filter them).")
    String sim;

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
        if (sim != null && !sim.isEmpty()) {
            return listBoards(out);
        }
        if (sim != null) {
            List<Object> entries = new ArrayList<>();
            for (SimulatedDevices.Entry e : SimulatedDevices.ids()) {
                SimulatedDevice device = SimulatedDevices.create(e.id(), SimOptions.defaults());
                Facts facts;
                try (DfuTransport t = device.connect()) {
                    facts = Facts.of(t);
                }
                if (json) {
                    Map<String, Object> m = Json.object();
                    m.put("id", e.id());
                    m.put("description", e.description());
                    facts.putJson(m);
                    entries.add(m);
                } else {
                    // ids padded to the longest, at least 16 (plain-dfu-nomt-nodetach is 23)
                    int width = Math.max(16, SimulatedDevices.ids().stream().mapToInt(x -> x.id().length()).max().orElse(16));
                    out.printf("%-" + width + "s %s%n", e.id(), e.description());
                    facts.lines().forEach(out::println);
                }
            }
            if (json) {
                Map<String, Object> root = Json.object();
                root.put("simulated", entries);
                out.println(Json.write(root));
            } else {
                out.println("Any id + " + SimBoards.RUNTIME + " (bitWillDetach 1) or " + SimBoards.RUNTIME_RESET
                        + " (bitWillDetach 0): the board starts in an application with a DFU run-time interface.");
                out.println("Several boards: --sim ID,ID,... (port paths 1-1, 1-2, ...; 'dfu list --sim ID,ID,...' shows their serials).");
            }
            return ExitCode.OK;
        }
        try (UsbBackend usb = UsbBackends.open(DeviceSession.backendChoice(backend))) {
            DeviceFilter filter = DeviceFilter.builder().vidPid(device).serial(serial).path(path).build();
            List<DfuDeviceDescription> devices = usb.list(filter);
            if (json) {
                Map<String, Object> root = Json.object();
                root.put("backend", usb.kind().name());
                root.put("libusb", usb.libusbVersion());
                List<Object> list = new ArrayList<>();
                for (DfuDeviceDescription d : devices) {
                    Map<String, Object> m = new java.util.LinkedHashMap<>(d.toMap());
                    Facts.of(d).ifPresent(f -> f.putJson(m));
                    list.add(m);
                }
                root.put("devices", list);
                out.println(Json.write(root));
            } else if (devices.isEmpty()) {
                out.println("No DFU-capable USB device found. 'dfu doctor' checks backends and permissions; 'dfu list --sim' lists simulated devices.");
            } else {
                for (DfuDeviceDescription d : devices) {
                    describe(d).forEach(out::println);
                }
            }
        }
        return ExitCode.OK;
    }

    /** {@code dfu list --sim a,b}: the boards the filters match, in the USB listing's shape. */
    private int listBoards(PrintWriter out) throws IOException {
        DeviceOptions options = new DeviceOptions();
        options.sim = sim;
        options.device = device;
        options.serial = serial;
        options.path = path;
        List<DfuDeviceDescription> boards = new ArrayList<>();
        DeviceFilter filter = SimBoards.filter(options, null);
        for (SimBoards.Board b : SimBoards.all(options)) {
            DfuDeviceDescription d = SimBoards.describe(b);
            if (filter.matches(d)) {
                boards.add(d);
            }
        }
        if (json) {
            List<Object> list = new ArrayList<>();
            for (DfuDeviceDescription d : boards) {
                Map<String, Object> m = new java.util.LinkedHashMap<>(d.toMap());
                Facts.of(d).ifPresent(f -> f.putJson(m));
                list.add(m);
            }
            Map<String, Object> root = Json.object();
            root.put("devices", list);
            out.println(Json.write(root));
        } else if (boards.isEmpty()) {
            out.println("No simulated board matches " + filter.describe() + ".");
        } else {
            for (DfuDeviceDescription d : boards) {
                describe(d).forEach(out::println);
            }
        }
        return ExitCode.OK;
    }

    /**
     * dfu-util's lines for every alt setting, then what dfu4j makes of the device: the bootloader (as
     * {@code dfu flash} prints it), the functional descriptor, and the identification's warnings; for a
     * device that could not be opened, why, and where the fix is.
     */
    static List<String> describe(DfuDeviceDescription d) {
        List<String> lines = new ArrayList<>(d.listing());
        if (lines.isEmpty()) {
            lines.add("Found " + d.summary());
        }
        if (!d.accessible()) {
            OpenProblem p = d.openProblem();
            lines.add("  Cannot open it (" + p.kind() + "): " + p.message().replace('\n', ' '));
            lines.add("  " + p.advice().summary() + "; run 'dfu doctor' for what to do");
            if (d.functionalDescriptor() != null) {
                lines.add("  Functional descriptor: " + d.functionalDescriptor().describe());
            }
            return lines;
        }
        if (!d.device().dfuMode()) {
            lines.add("  Run-time (application) mode: 'dfu flash' detaches it into DFU mode; list again then to identify"
                    + " the bootloader");
            if (d.functionalDescriptor() != null) {
                lines.add("  Functional descriptor: " + d.functionalDescriptor().describe());
            }
            return lines;
        }
        Facts.of(d).ifPresent(f -> lines.addAll(f.lines()));
        return lines;
    }

    /**
     * What identification says about a device from its descriptors and strings (no request is sent,
     * the interface is not claimed), and its functional descriptor.
     */
    record Facts(Identification id, FunctionalDescriptor functional) {
        static Facts of(DfuTransport t) {
            return of(t.device(), t.altSettings(), t.functionalDescriptor());
        }

        /** Empty for a device whose strings could not be read: without them nothing can be identified. */
        static java.util.Optional<Facts> of(DfuDeviceDescription d) {
            if (!d.accessible()) {
                return java.util.Optional.empty();
            }
            byte[] fd = d.functionalDescriptor() == null ? new byte[0] : d.functionalDescriptor().toBytes();
            return java.util.Optional.of(of(d.device(), d.altSettings(), fd));
        }

        static Facts of(DeviceInfo info, List<AltSetting> alts, byte[] fd) {
            Identification id = Identification.identify(info, alts, fd, OptionalInt.empty());
            FunctionalDescriptor functional;
            try {
                functional = fd.length == 0 ? null : FunctionalDescriptor.parse(fd, info.vidPid() + " functional descriptor");
            } catch (DfuException e) {
                functional = null; // identification already warns that the descriptor is unusable
            }
            return new Facts(id, functional);
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("  Identified: " + id.describe());
            lines.add("  Functional descriptor: " + (functional == null ? "none usable" : functional.describe()));
            StringWriter w = new StringWriter();
            PrintWriter p = new PrintWriter(w);
            Profiles.printWarnings(id, false, "  ", p);
            p.flush();
            w.toString().lines().forEach(lines::add);
            return lines;
        }

        void putJson(Map<String, Object> m) {
            m.put("identified", id.describe());
            m.put("identifiedKind", id.kind().name());
            m.put("identificationWarnings", id.warnings());
            // a USB description already carries its own (also when identification found it unusable)
            m.putIfAbsent("functionalDescriptor", functional == null ? null : toMap(functional));
        }

        /** The same keys as {@code DfuDeviceDescription.toMap()} gives the descriptor. */
        private static Map<String, Object> toMap(FunctionalDescriptor fd) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("attributes", fd.attributes());
            m.put("canDownload", fd.canDownload());
            m.put("canUpload", fd.canUpload());
            m.put("manifestationTolerant", fd.manifestationTolerant());
            m.put("willDetach", fd.willDetach());
            m.put("detachTimeoutMillis", fd.detachTimeoutMs());
            m.put("transferSize", fd.transferSize());
            m.put("dfuVersion", String.format("0x%04x", fd.bcdDfu()));
            return m;
        }
    }
}
