package io.github.dfu4j.cli;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.OperationCancelledException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dfu upload OUT --address A --length N}: read device memory into a file. */
@Command(name = "upload", description = "Read device memory into a file (format from OUT's extension: .bin, .hex, .srec, .dfu; default raw binary).")
final class UploadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Parameters(paramLabel = "OUT", description = "Output file.")
    Path output;

    @Option(names = "--address", required = true, converter = Numbers.class, paramLabel = "ADDR", description = "First address to read.")
    long address;

    @Option(names = "--length", required = true, converter = Numbers.class, paramLabel = "N", description = "Bytes to read (e.g. 65536 or 64K).")
    long length;

    @Option(names = {"-a", "--alt"}, paramLabel = "N|NAME", description = "Alternate setting (memory) to read; default 0.")
    String alt;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--progress", negatable = true, description = "Show a progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        if (length <= 0 || length > Integer.MAX_VALUE) {
            throw new CliException(ExitCode.USAGE, "--length must be 1..2147483647");
        }
        FirmwareFormat format = FirmwareFormat.forFileName(output.getFileName().toString()).orElse(FirmwareFormat.BINARY);
        boolean inPlace = java.nio.file.Files.exists(output) && !java.nio.file.Files.isRegularFile(output)
                && !java.nio.file.Files.isDirectory(output); // /dev/stdout, a pipe: written in place
        if (!inPlace) {
            DeviceOptions.checkWritable(output, ""); // before the device is read, not after
        }
        byte[] data;
        try (DeviceSession session = DeviceSession.open(deviceOptions, alt)) {
            int altSetting = alt == null ? 0 : AltSettings.resolve(session.transport(), alt);
            DfuDevice device = Profiles.open(session.transport(), deviceOptions, spec.commandLine().getErr(), json);
            try {
                data = device.upload(altSetting, address, (int) length, ProgressBar.forTerminal(spec.commandLine().getErr(), progress),
                        Interruption.token());
            } catch (OperationCancelledException e) {
                throw InterruptedReport.upload(e, output);
            }
        }
        FirmwareImage image = FirmwareImage.of(Segment.of(address, data));
        try {
            FirmwareFiles.write(output, image, format, WriteOptions.defaults());
        } catch (IOException e) {
            throw Inputs.unwritable(output, e); // names OUT, not the temporary file written beside it
        }
        if (json) {
            Map<String, Object> m = Json.object();
            m.put("file", output.toString());
            m.put("format", format.name());
            m.put("address", Json.hex(address));
            m.put("requested", length);
            m.put("read", data.length);
            spec.commandLine().getOut().println(Json.write(m));
        } else {
            spec.commandLine().getOut().printf("Read %d bytes from 0x%08x into %s (%s)%s.%n", data.length, address, output,
                    format.displayName(), data.length < length ? "; the device ended the upload early" : "");
        }
        return ExitCode.OK;
    }
}
