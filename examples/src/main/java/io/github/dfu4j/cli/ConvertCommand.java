package io.github.dfu4j.cli;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.WriteOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dfu convert IN... -o OUT}: any firmware input(s) to any output format. */
@Command(name = "convert", description = {
        "Convert and merge firmware files: any of .dfu/.hex/.srec/.elf/.bin to DfuSe, Intel HEX, S-record or binary.",
        "Several inputs are merged; bytes two inputs put at the same address must agree.",
        "A binary output of a multi-segment image is written as one file per segment (OUT-0xADDRESS.bin) unless --fill is given."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IN", arity = "1..*", description = "Input files.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Output format: dfuse, hex, srec, elf or bin (default: from OUT's extension).")
    String format;

    @Option(names = "--in-format", paramLabel = "FORMAT", description = "Read inputs as this format instead of detecting it.")
    String inFormat;

    @Option(names = "--base", converter = Numbers.class, paramLabel = "ADDR",
            description = "Load address of raw binary inputs (default 0x08000000).")
    Long base;

    @Option(names = "--vid", converter = Numbers.class, description = "USB vendor id for the DFU suffix (DfuSe default 0x0483).")
    Long vid;

    @Option(names = "--pid", converter = Numbers.class, description = "USB product id for the DFU suffix (DfuSe default 0xdf11).")
    Long pid;

    @Option(names = "--fill", arity = "0..1", fallbackValue = "0xff", converter = Numbers.class, paramLabel = "BYTE",
            description = "Binary output: one flat file with gaps filled with BYTE (default 0xff).")
    Long fill;

    @Option(names = "--record-length", paramLabel = "N", description = "Data bytes per Intel HEX / S-record line (default 16).")
    Integer recordLength;

    @Option(names = "--target-name", description = "DfuSe target name (default \"ST...\").")
    String targetName;

    @Override
    public Integer call() throws IOException {
        ReadOptions readOptions = ReadOptions.defaults();
        if (inFormat != null) {
            readOptions = readOptions.withFormat(parseFormat(inFormat, "--in-format"));
        }
        if (base != null) {
            readOptions = readOptions.withBaseAddress(base);
        }
        FirmwareImage image = Inputs.readAll(inputs, readOptions);
        if (image.isEmpty()) {
            throw new CliException(ExitCode.INVALID_INPUT, inputs.get(0) + ": contains no data to convert");
        }
        FirmwareFormat outFormat = format != null ? parseFormat(format, "--format")
                : FirmwareFormat.forFileName(output.getFileName().toString()).orElseThrow(() -> new CliException(ExitCode.USAGE,
                        "cannot tell the output format from '" + output.getFileName() + "'; add --format dfuse|hex|srec|elf|bin"));

        WriteOptions.Builder write = WriteOptions.builder();
        if (recordLength != null) {
            write.hexRecordLength(recordLength).srecRecordLength(recordLength);
        }
        if (targetName != null) {
            write.dfuseTargetName(targetName);
        }
        if (fill != null) {
            if (fill > 0xFF) {
                throw new CliException(ExitCode.USAGE, "--fill takes a byte value 0..0xff");
            }
            write.fillByte(fill.intValue());
        }
        DfuSuffix suffix = suffixFor(outFormat, image);
        if (suffix != null) {
            write.dfuSuffix(suffix);
        }
        WriteOptions options;
        try {
            options = write.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }

        PrintWriter out = spec.commandLine().getOut();
        try {
            if (outFormat == FirmwareFormat.BINARY && fill == null && image.segments().size() > 1) {
                String name = output.getFileName().toString();
                String stem = name.toLowerCase(Locale.ROOT).endsWith(".bin") ? name.substring(0, name.length() - 4) : name;
                Path dir = output.toAbsolutePath().getParent();
                for (Path part : FirmwareFiles.writeBinaryParts(dir, stem, image, options)) {
                    out.println("wrote " + part);
                }
                return ExitCode.OK;
            }
            FirmwareFiles.write(output, image, outFormat, options);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "cannot write " + outFormat.displayName() + ": " + e.getMessage(), e);
        }
        out.printf("wrote %s (%s, %d bytes of data in %d segment(s))%n", output, outFormat.displayName(),
                image.totalBytes(), image.segments().size());
        return ExitCode.OK;
    }

    private DfuSuffix suffixFor(FirmwareFormat outFormat, FirmwareImage image) {
        if (vid == null && pid == null) {
            return null; // DfuSe writer uses the image's own suffix or ST's 0483:df11
        }
        int v = vid == null ? (outFormat == FirmwareFormat.DFUSE ? 0x0483 : DfuSuffix.WILDCARD) : vid.intValue();
        int p = pid == null ? (outFormat == FirmwareFormat.DFUSE ? 0xDF11 : DfuSuffix.WILDCARD) : pid.intValue();
        if (v > 0xFFFF || p > 0xFFFF) {
            throw new CliException(ExitCode.USAGE, "--vid and --pid take 16-bit values");
        }
        int bcdDfu = outFormat == FirmwareFormat.DFUSE ? DfuSuffix.BCD_DFU_DFUSE : DfuSuffix.BCD_DFU_PLAIN;
        int bcdDevice = image.suffix().map(DfuSuffix::bcdDevice).orElse(DfuSuffix.WILDCARD);
        return new DfuSuffix(bcdDevice, p, v, bcdDfu);
    }

    static FirmwareFormat parseFormat(String text, String option) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "dfuse", "dfu" -> FirmwareFormat.DFUSE;
            case "hex", "ihex", "intel-hex" -> FirmwareFormat.INTEL_HEX;
            case "srec", "s19", "s-record", "mot" -> FirmwareFormat.SREC;
            case "elf" -> FirmwareFormat.ELF;
            case "bin", "binary", "raw" -> FirmwareFormat.BINARY;
            default -> throw new CliException(ExitCode.USAGE, option + " '" + text + "' is not one of dfuse, hex, srec, elf, bin");
        };
    }
}
