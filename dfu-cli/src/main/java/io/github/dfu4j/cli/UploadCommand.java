package io.github.dfu4j.cli;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.dfu.DfuCancelledException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dfu upload OUT [--address A] [--length N]}: read device memory into a file, or with
 * {@code -} as OUT raw bytes to stdout. Without --length it reads to the end of the memory region
 * holding the address (the layout's run of adjacent sectors); without --address from the start of
 * the alt setting's memory.
 */
@Command(name = "upload", description = {
        "Read device memory into a file (format from OUT's extension: .bin, .hex, .srec, .dfu; default raw binary), "
                + "or with - as OUT as raw bytes to stdout.",
        "Without --length it reads to the end of the memory region that holds the address; without --address from "
                + "the start of the alt setting's memory, e.g.",
        "  dfu upload flash.bin --sim stm32f405"})
final class UploadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    /** Where "-" sends its bytes; tests replace it. */
    static java.util.function.Supplier<OutputStream> stdout = () -> System.out;

    @Parameters(paramLabel = "OUT", description = "Output file, or - for raw bytes on stdout.")
    Path output;

    @Option(names = "--address", converter = Numbers.class, paramLabel = "ADDR",
            description = "First address to read; default: the start of the alt setting's memory (from its layout).")
    Long address;

    @Option(names = "--length", converter = Numbers.class, paramLabel = "N",
            description = "Bytes to read (e.g. 65536 or 64K); default: up to the end of the memory region holding ADDR.")
    Long length;

    @Option(names = {"-a", "--alt"}, paramLabel = "N|NAME", description = "Alternate setting (memory) to read; default 0.")
    String alt;

    @Option(names = "--transfer-size", paramLabel = "BYTES",
            description = "At most BYTES per DFU transfer instead of the device's wTransferSize (1 up to what the device "
                    + "takes; dfu-util's -t).")
    Integer transferSize;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--progress", negatable = true, description = "Show a progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        if (transferSize != null && (transferSize < 1 || transferSize > 0xFFFF)) {
            throw new CliException(ExitCode.USAGE, "--transfer-size must be 1..65535 bytes, not " + transferSize);
        }
        deviceOptions.transferSize = transferSize;
        boolean toStdout = output.toString().equals("-");
        if (toStdout && json) {
            throw new CliException(ExitCode.USAGE, "--json and OUT '-' would both write to stdout; name an output file");
        }
        if (length != null && (length <= 0 || length > Integer.MAX_VALUE)) {
            throw new CliException(ExitCode.USAGE, "--length must be 1..2147483647");
        }
        FirmwareFormat format = toStdout ? FirmwareFormat.BINARY
                : FirmwareFormat.forFileName(output.getFileName().toString()).orElse(FirmwareFormat.BINARY);
        boolean inPlace = toStdout || java.nio.file.Files.exists(output) && !java.nio.file.Files.isRegularFile(output)
                && !java.nio.file.Files.isDirectory(output); // -, /dev/stdout, a pipe: written in place
        if (!inPlace) {
            DeviceOptions.checkWritable(output, ""); // before the device is read, not after
        }
        byte[] data;
        long address;
        long length;
        Map<String, Object> deviceJson;
        try (DeviceSession session = DeviceSession.open(deviceOptions, alt)) {
            deviceJson = session.identityJson();
            int altSetting = alt == null ? 0 : AltSettings.resolve(session.transport(), alt);
            DfuDevice device = Profiles.open(session.transport(), deviceOptions, deviceOptions.err(), json);
            Optional<MemoryLayout> layout = device.layout(altSetting);
            boolean plain = !device.functionalDescriptor().isDfuse();
            if (plain) {
                if (this.address != null && this.address != 0) {
                    throw new CliException(ExitCode.USAGE, "--address: a plain DFU 1.1 device has no addresses; its upload"
                            + " always starts at the start of its firmware (give --length to read less)");
                }
                // DFU 1.1 §6.2: the device ends the upload with a short frame; without --length read until it does
                address = 0;
                length = this.length != null ? this.length : PLAIN_UPLOAD_CAP;
            } else {
                address = this.address != null ? this.address : layout.map(MemoryLayout::start).orElseThrow(() -> new CliException(
                        ExitCode.USAGE, "alt " + altSetting + " reports no memory layout; give --address and --length"));
                long from = address;
                length = this.length != null ? this.length : restOfRegion(layout, from).orElseThrow(() -> new CliException(
                        ExitCode.USAGE, String.format("0x%08x is not in a memory region of alt %d%s; give --length", from, altSetting,
                                layout.map(l -> " (" + l.format() + ")").orElse(" (no memory layout)"))));
            }
            if (length > Integer.MAX_VALUE) {
                throw new CliException(ExitCode.USAGE, String.format(
                        "the region from 0x%08x holds %d bytes, more than one upload can read; give --length", address, length));
            }
            try {
                data = device.upload(altSetting, address, (int) length, ProgressBar.forTerminal(deviceOptions.err(), progress),
                        Interruption.token());
            } catch (DfuCancelledException e) {
                if (e.changes().isEmpty()) {
                    throw e; // not an operation's report: the generic "interrupted" line
                }
                throw InterruptedReport.upload(e, output);
            }
        }
        FirmwareImage image = FirmwareImage.of(Segment.of(address, data));
        if (toStdout) {
            deviceOptions.out().flush();
            OutputStream out = stdout.get();
            out.write(data);
            out.flush();
            deviceOptions.err().printf("Read %d bytes from 0x%08x to stdout%s.%n", data.length, address,
                    data.length < length && length != PLAIN_UPLOAD_CAP ? "; the device ended the upload early" : "");
            return ExitCode.OK;
        }
        try {
            FirmwareFiles.write(output, image, format, WriteOptions.defaults());
        } catch (IOException e) {
            throw Inputs.unwritable(output, e); // names OUT, not the temporary file written beside it
        }
        if (json) {
            Map<String, Object> m = Json.object();
            m.put("file", output.toString());
            m.put("device", deviceJson);
            m.put("format", format.name());
            m.put("address", Json.hex(address));
            m.put("requested", length);
            m.put("read", data.length);
            deviceOptions.out().println(Json.write(m));
        } else {
            deviceOptions.out().printf("Read %d bytes from 0x%08x into %s (%s)%s.%n", data.length, address, output,
                    format.displayName(), data.length < length && length != PLAIN_UPLOAD_CAP ? "; the device ended the upload early" : "");
        }
        return ExitCode.OK;
    }

    /**
     * Without --length, a plain DFU 1.1 upload reads until the device's short frame, at most this many
     * bytes (so a device that never ends the upload cannot fill the memory).
     */
    static final int PLAIN_UPLOAD_CAP = 64 * 1024 * 1024;

    /**
     * Bytes from {@code address} to the end of the memory region holding it: the layout's regions
     * that follow each other without a gap (an F4's 16K, 64K and 128K sectors are one region),
     * empty when the address is outside the layout.
     */
    static OptionalLong restOfRegion(Optional<MemoryLayout> layout, long address) {
        if (layout.isEmpty() || !layout.get().contains(address)) {
            return OptionalLong.empty();
        }
        List<MemoryRegion> regions = layout.get().regions().stream().sorted(Comparator.comparingLong(MemoryRegion::start)).toList();
        long end = -1;
        for (MemoryRegion r : regions) {
            if (r.contains(address)) {
                end = r.end();
            } else if (end >= 0 && r.start() == end) {
                end = r.end();
            } else if (end >= 0) {
                break;
            }
        }
        return end > address ? OptionalLong.of(end - address) : OptionalLong.empty();
    }
}
