package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.DeviceSelectionException;
import io.github.dfu4j.libusb.DfuDeviceDescription;
import io.github.dfu4j.libusb.DfuFunctionalDescriptor;
import io.github.dfu4j.libusb.DfuMode;
import io.github.dfu4j.libusb.FunctionalDescriptorSource;
import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.transport.DfuTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulated boards of {@code --sim ID[,ID...]}: one board per id, as if plugged into the ports of
 * one hub, picked with the same filters (-d, -S, -p, --alt) and the same rules as USB devices: none
 * matching is exit 4, several matching is "more than one DFU device matches" unless the command takes
 * {@code --all} (docs/simulator.md "Several boards").
 *
 * <p>One board keeps the identity it always had (path {@code sim:ID}, the personality's serial). With
 * several, board N (from 1) sits at port path {@code 1-N} (USB-shaped, so {@code -p} takes it) and its serial is the personality's with the last
 * two digits replaced by N in decimal, so two boards of one chip differ by serial and path, and
 * {@code --sim-state FILE} keeps board N in {@code FILE} with {@code .N} before the extension.
 */
final class SimBoards {
    /** Suffix of an id whose board runs an application with a run-time DFU interface and bitWillDetach 1. */
    static final String RUNTIME = "-runtime";
    /** The same with bitWillDetach 0: DETACH, then the host resets the bus (DFU 1.1 §5.1). */
    static final String RUNTIME_RESET = "-runtime-reset";

    private SimBoards() {
    }

    /**
     * One board.
     *
     * @param number    1, 2, ... in the order of --sim
     * @param id        the personality
     * @param serial    its iSerialNumber; empty = the personality's own (one board)
     * @param path      its port path; empty = {@code sim:ID} (one board)
     * @param stateFile its --sim-state file, or null
     * @param runtime   null for a board in DFU mode; else it powers on into an application with a DFU
     *                  run-time interface, and this is its bitWillDetach ({@code -runtime}: true,
     *                  {@code -runtime-reset}: false, the host must reset the bus after DETACH)
     */
    record Board(int number, String id, String serial, String path, Path stateFile, Boolean runtime) {
        /** The id as given: the personality and the run-time suffix. */
        String given() {
            return id + (runtime == null ? "" : runtime ? RUNTIME : RUNTIME_RESET);
        }

        SimOptions apply(SimOptions options) {
            SimOptions o = options;
            if (!serial.isEmpty()) {
                o = o.withSerial(serial);
            }
            return path.isEmpty() ? o : o.withPortPath(path);
        }
    }

    /** Every board of --sim, checked: unknown ids are a usage error naming 'dfu list --sim'. */
    static List<Board> all(DeviceOptions options) {
        String[] ids = options.sim.split(",", -1);
        List<Board> boards = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            String id = ids[i].trim().toLowerCase(Locale.ROOT);
            Boolean runtime = null;
            if (id.endsWith(RUNTIME_RESET)) {
                runtime = false;
                id = id.substring(0, id.length() - RUNTIME_RESET.length());
            } else if (id.endsWith(RUNTIME)) {
                runtime = true;
                id = id.substring(0, id.length() - RUNTIME.length());
            }
            String personality = id;
            if (SimulatedDevices.ids().stream().noneMatch(e -> e.id().equals(personality))) {
                throw new CliException(ExitCode.USAGE, "unknown simulated device '" + ids[i].trim()
                        + "'; 'dfu list --sim' lists them");
            }
            int n = i + 1;
            if (ids.length == 1) {
                boards.add(new Board(n, id, "", runtime == null ? "" : "sim:" + id + (runtime ? RUNTIME : RUNTIME_RESET),
                        options.simState, runtime));
            } else {
                String own = defaultSerial(id);
                boards.add(new Board(n, id, own.substring(0, own.length() - 2) + String.format("%02d", n % 100), "1-" + n,
                        options.simState == null ? null : numbered(options.simState, n), runtime));
            }
        }
        return List.copyOf(boards);
    }

    /** {@code board.sim} -> {@code board.2.sim}; {@code board} -> {@code board.2}. */
    static Path numbered(Path file, int n) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numberedName = dot > 0 ? name.substring(0, dot) + "." + n + name.substring(dot) : name + "." + n;
        return file.resolveSibling(numberedName);
    }

    private static String defaultSerial(String id) {
        try (DfuTransport t = SimulatedDevices.create(id).connect()) {
            return t.device().serial();
        }
    }

    /** The board as a USB listing describes a device in DFU mode (what the filters match). */
    static DfuDeviceDescription describe(Board board) {
        var device = SimulatedDevices.create(board.id(), board.apply(SimOptions.defaults()));
        try (DfuTransport t = board.runtime() == null ? device.connect()
                : io.github.dfu4j.sim.RuntimeDfuDevice.start(device, board.runtime()).connect()) {
            var info = t.device();
            return new DfuDeviceDescription(info.vendorId(), info.productId(), info.bcdDevice(), info.manufacturer(),
                    info.product(), info.serial(), 0, board.number(), info.path(), 1, t.interfaceNumber(),
                    info.dfuMode() ? DfuMode.DFU : DfuMode.RUNTIME,
                    t.altSettings(), DfuFunctionalDescriptor.parse(t.functionalDescriptor(), info.path()),
                    FunctionalDescriptorSource.INTERFACE_EXTRA, null);
        } catch (io.github.dfu4j.libusb.DescriptorFormatException | io.github.dfu4j.transport.TransportException e) {
            throw new IllegalStateException("simulated " + board.id() + ": " + e.getMessage(), e);
        }
    }

    static DeviceFilter filter(DeviceOptions options, String alt) {
        return DeviceFilter.builder().vidPid(options.device).serial(options.serial).path(options.path).alt(alt).build();
    }

    /** The boards the filters match (every one without filters): what --all works on. */
    static List<Board> matching(DeviceOptions options, String alt) throws DeviceSelectionException {
        // boards are matched on ids, serial and path; the alt setting is resolved on the opened board
        // (AltSettings: an unknown name is a usage error naming the alt settings there)
        DeviceFilter filter = filter(options, null);
        List<Board> boards = all(options);
        List<Board> out = new ArrayList<>();
        List<DfuDeviceDescription> seen = new ArrayList<>();
        for (Board b : boards) {
            DfuDeviceDescription d = describe(b);
            seen.add(d);
            if (filter.matches(d)) {
                out.add(b);
            }
        }
        if (out.isEmpty()) {
            StringBuilder m = new StringBuilder("No simulated DFU device matches ").append(filter.describe())
                    .append("; simulated devices present:");
            for (DfuDeviceDescription d : seen) {
                m.append(System.lineSeparator()).append("  ").append(d.summary());
            }
            throw new DeviceSelectionException(DeviceSelectionException.Reason.NO_DEVICE, m.toString(), seen, null);
        }
        return List.copyOf(out);
    }

    /** Exactly one board, as a USB selection picks one device. */
    static Board select(DeviceOptions options, String alt) throws DeviceSelectionException {
        List<Board> matching = matching(options, alt);
        if (matching.size() == 1) {
            return matching.get(0);
        }
        List<DfuDeviceDescription> candidates = matching.stream().map(SimBoards::describe).toList();
        List<String> details = candidates.stream().map(d -> "  " + d.summary()).toList();
        throw new DeviceSelectionException(DeviceSelectionException.Reason.AMBIGUOUS,
                "More than one DFU device matches " + filter(options, null).describe() + " (" + matching.size() + ")",
                Remedy.of(Remedy.Kind.NARROW_SELECTION, "serial", "path"), details, candidates, null);
    }
}
