package io.github.dfu4j.cli;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.WriteOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        "A binary output of a multi-segment image is written as one file per segment (OUT-0xADDRESS.bin) unless --fill is given.",
        "Like dfuse-pack: raw binaries are placed with FILE@ADDR, and FILE@ADDR:ALT puts one into DfuSe target ALT, e.g.",
        "  dfu convert flash.bin@0x08000000 qspi.bin@0x90000000:1 \\",
        "      --target 1:QSPI -o fw.dfu"})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IN[@ADDR[:ALT]]", arity = "1..*",
            description = "Input files; FILE@ADDR loads a raw binary at ADDR, :ALT puts the input in DfuSe target ALT "
                    + "(FILE@:ALT for files that carry their own addresses); - reads standard input.")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Output format: dfuse, hex, srec, elf or bin (default: from OUT's extension).")
    String format;

    @Option(names = "--in-format", paramLabel = "FORMAT", description = "Read inputs as this format instead of detecting it.")
    String inFormat;

    @Option(names = "--base", converter = Numbers.class, paramLabel = "ADDR",
            description = "Load address of raw binary inputs without @ADDR (default 0x08000000).")
    Long base;

    @Option(names = "--vid", converter = Numbers.class, description = "USB vendor id for the DFU suffix (DfuSe default 0x0483).")
    Long vid;

    @Option(names = "--pid", converter = Numbers.class, description = "USB product id for the DFU suffix (DfuSe default 0xdf11).")
    Long pid;

    @Option(names = "--bcd-device", converter = Numbers.class, paramLabel = "BCD",
            description = "bcdDevice for the DFU suffix (default: the input's, else 0xffff, any; dfuse-pack writes 0).")
    Long bcdDevice;

    @Option(names = "--fill", arity = "0..1", fallbackValue = "0xff", converter = Numbers.class, paramLabel = "BYTE",
            description = "Binary output: one flat file with gaps filled with BYTE (default 0xff).")
    Long fill;

    @Option(names = "--record-length", paramLabel = "N",
            description = "Data bytes per line of the output: Intel HEX 1..255, S-record 1..250 (default 16).")
    Integer recordLength;

    @Option(names = "--target-name", description = "DfuSe name of targets no --target names (default \"ST...\").")
    String targetName;

    @Option(names = "--target", paramLabel = "ALT:NAME",
            description = "DfuSe target name for alt setting ALT (repeatable), e.g. --target 1:QSPI.")
    List<String> targets = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ReadOptions readOptions = ReadOptions.defaults();
        if (inFormat != null) {
            readOptions = readOptions.toBuilder().format(parseFormat(inFormat, "--in-format")).build();
        }
        if (base != null) {
            readOptions = readOptions.toBuilder().baseAddress(base).build();
        }
        FirmwareFormat outFormat = format != null ? parseFormat(format, "--format")
                : FirmwareFormat.forFileName(output.getFileName().toString()).orElseThrow(() -> new CliException(ExitCode.USAGE,
                        "cannot tell the output format from '" + output.getFileName() + "'; add --format dfuse|hex|srec|elf|bin"));
        List<Inputs.Input> parsed = Inputs.parseAll(inputs);
        Map<Integer, String> names = parseTargets(targets);
        boolean perInputAlt = parsed.stream().anyMatch(i -> i.alt().isPresent());
        if (outFormat != FirmwareFormat.DFUSE && (perInputAlt || !names.isEmpty() || targetName != null)) {
            throw new CliException(ExitCode.USAGE, "DfuSe targets (IN@ADDR:ALT, --target, --target-name) only exist in a DfuSe "
                    + "output, not in " + outFormat.displayName());
        }
        String defaultName = targetName != null ? targetName : names.getOrDefault(0, WriteOptions.DEFAULT_DFUSE_TARGET_NAME);
        FirmwareImage image = Inputs.readAll(parsed, readOptions, names, defaultName);
        if (image.isEmpty()) {
            throw new CliException(ExitCode.INVALID_INPUT, parsed.get(0).name() + ": contains no data to convert");
        }
        for (int alt : names.keySet()) {
            boolean used = image.segments().stream().anyMatch(seg -> seg.target().map(DfuseTarget::altSetting).orElse(0) == alt);
            if (!used) {
                throw new CliException(ExitCode.USAGE, "--target " + alt + ":" + names.get(alt) + ": no input goes to alt " + alt
                        + " (give one as FILE@ADDR:" + alt + ")");
            }
        }

        WriteOptions.Builder write = WriteOptions.builder();
        if (recordLength != null) {
            // the limits differ (HEX 255, S-record 250), so only the chosen output's length is set
            switch (outFormat) {
                case INTEL_HEX -> write.hexRecordLength(recordLength);
                case SREC -> write.srecRecordLength(recordLength);
                default -> throw new CliException(ExitCode.USAGE, "--record-length applies to Intel HEX and S-record output, not "
                        + outFormat.displayName());
            }
        }
        write.dfuseTargetName(defaultName);
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
                List<Path> parts;
                try {
                    parts = FirmwareFiles.writeBinaryParts(dir, stem, image, options);
                } catch (IOException e) {
                    throw Inputs.unwritable(output, e);
                }
                for (Path part : parts) {
                    out.println("wrote " + part);
                }
                return ExitCode.OK;
            }
            FirmwareFiles.write(output, image, outFormat, options);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "cannot write " + outFormat.displayName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw Inputs.unwritable(output, e);
        }
        out.printf("wrote %s (%s, %d bytes of data in %d segment(s))%n", output, outFormat.displayName(),
                image.totalBytes(), image.segments().size());
        return ExitCode.OK;
    }

    private DfuSuffix suffixFor(FirmwareFormat outFormat, FirmwareImage image) {
        if (vid == null && pid == null && bcdDevice == null) {
            return null; // DfuSe writer uses the image's own suffix or ST's 0483:df11
        }
        if (bcdDevice != null && bcdDevice > 0xFFFF) {
            throw new CliException(ExitCode.USAGE, "--bcd-device takes a 16-bit value");
        }
        int v = vid == null ? (outFormat == FirmwareFormat.DFUSE ? 0x0483 : DfuSuffix.WILDCARD) : vid.intValue();
        int p = pid == null ? (outFormat == FirmwareFormat.DFUSE ? 0xDF11 : DfuSuffix.WILDCARD) : pid.intValue();
        if (v > 0xFFFF || p > 0xFFFF) {
            throw new CliException(ExitCode.USAGE, "--vid and --pid take 16-bit values");
        }
        int bcdDfu = outFormat == FirmwareFormat.DFUSE ? DfuSuffix.BCD_DFU_DFUSE : DfuSuffix.BCD_DFU_PLAIN;
        int device = bcdDevice != null ? bcdDevice.intValue() : image.suffix().map(DfuSuffix::bcdDevice).orElse(DfuSuffix.WILDCARD);
        return new DfuSuffix(device, p, v, bcdDfu);
    }

    /** --target ALT:NAME options as alt → name. */
    static Map<Integer, String> parseTargets(List<String> specs) {
        Map<Integer, String> names = new TreeMap<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            int alt = -1;
            if (colon > 0) {
                try {
                    alt = Integer.parseInt(spec.substring(0, colon).trim());
                } catch (NumberFormatException e) {
                    alt = -1;
                }
            }
            if (alt < 0 || alt > 255) {
                throw new CliException(ExitCode.USAGE, "--target '" + spec + "': expected ALT:NAME with ALT 0..255, e.g. 1:QSPI");
            }
            if (names.put(alt, spec.substring(colon + 1)) != null) {
                throw new CliException(ExitCode.USAGE, "--target names alt " + alt + " twice");
            }
        }
        return names;
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
