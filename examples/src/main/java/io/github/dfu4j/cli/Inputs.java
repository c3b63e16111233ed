package io.github.dfu4j.cli;

import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.FirmwareImages;
import io.github.dfu4j.formats.NamedImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.Segment;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import picocli.CommandLine;

/**
 * Reads firmware files for the commands, turning file-system problems into exit code 3.
 *
 * <p>An input argument is {@code FILE}, {@code FILE@ADDR} (a raw binary loaded at ADDR, what
 * dfuse-pack's {@code -b ADDR:FILE} does) or {@code FILE@ADDR:ALT} / {@code FILE@:ALT} (its data
 * also goes to DfuSe target / alternate setting ALT, for multi-target files). An argument naming an
 * existing file is always taken as a plain file name, so names containing '@' keep working.
 */
final class Inputs {
    private Inputs() {
    }

    /** One parsed input argument. */
    record Input(Path file, OptionalLong address, OptionalInt alt) {
        String name() {
            return file.toString();
        }
    }

    static Input parse(String argument) {
        Path whole = Path.of(argument);
        int at = argument.lastIndexOf('@');
        if (at <= 0 || Files.exists(whole)) {
            return new Input(whole, OptionalLong.empty(), OptionalInt.empty());
        }
        String spec = argument.substring(at + 1);
        int colon = spec.indexOf(':');
        String addressText = colon < 0 ? spec : spec.substring(0, colon);
        String altText = colon < 0 ? null : spec.substring(colon + 1);
        try {
            OptionalLong address = addressText.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Numbers.parse(addressText));
            OptionalInt alt = OptionalInt.empty();
            if (altText != null) {
                int a = Integer.parseInt(altText.trim());
                if (a < 0 || a > 255) {
                    throw new NumberFormatException();
                }
                alt = OptionalInt.of(a);
            }
            if (address.isEmpty() && alt.isEmpty()) {
                throw new NumberFormatException();
            }
            return new Input(Path.of(argument.substring(0, at)), address, alt);
        } catch (NumberFormatException | CommandLine.TypeConversionException e) {
            throw new CliException(ExitCode.USAGE, "'" + argument + "': an input is FILE, FILE@ADDR (raw binary at ADDR), "
                    + "FILE@ADDR:ALT or FILE@:ALT (DfuSe target ALT, 0..255)");
        }
    }

    static List<Input> parseAll(List<String> arguments) {
        List<Input> inputs = new ArrayList<>();
        for (String a : arguments) {
            inputs.add(parse(a));
        }
        return inputs;
    }

    static FirmwareImage read(Path file, ReadOptions options) throws FirmwareFormatException {
        checkReadable(file);
        try {
            return FirmwareFiles.read(file, options);
        } catch (FirmwareFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new CliException(ExitCode.INVALID_INPUT, file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one input: FILE@ADDR forces a raw binary at ADDR (refused for files that carry their own
     * addresses); an ALT puts every segment in DfuSe target ALT, named from {@code targetNames}
     * (default {@code defaultName}).
     */
    static FirmwareImage read(Input input, ReadOptions options, Map<Integer, String> targetNames, String defaultName)
            throws FirmwareFormatException {
        ReadOptions mine = options;
        if (input.address().isPresent()) {
            checkReadable(input.file());
            Optional<FirmwareFormat> carried = detectByContent(input.file());
            if (carried.isPresent() && carried.get() != FirmwareFormat.BINARY) {
                throw new CliException(ExitCode.USAGE, input.file() + "@" + String.format("0x%08x", input.address().getAsLong())
                        + ": " + input.file() + " is " + carried.get().displayName()
                        + " and carries its own addresses; @ADDR is for raw binaries");
            }
            mine = mine.withFormat(FirmwareFormat.BINARY).withBaseAddress(input.address().getAsLong());
        }
        FirmwareImage image = read(input.file(), mine);
        if (input.alt().isEmpty()) {
            return image;
        }
        int alt = input.alt().getAsInt();
        DfuseTarget target = new DfuseTarget(alt, targetNames.getOrDefault(alt, defaultName));
        List<Segment> moved = new ArrayList<>();
        for (Segment s : image.segments()) {
            moved.add(s.withTarget(target));
        }
        return image.withSegments(moved);
    }

    /** Reads every input and merges them; conflicting bytes name both files and the address. */
    static FirmwareImage readAll(List<Input> inputs, ReadOptions options, Map<Integer, String> targetNames, String defaultName)
            throws FirmwareFormatException {
        List<NamedImage> images = new ArrayList<>();
        for (Input input : inputs) {
            images.add(new NamedImage(input.name(), read(input, options, targetNames, defaultName)));
        }
        return images.size() == 1 ? images.get(0).image() : FirmwareImages.merge(images);
    }

    private static Optional<FirmwareFormat> detectByContent(Path file) {
        try {
            return FirmwareFiles.detectByContent(Files.readAllBytes(file));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new CliException(ExitCode.INVALID_INPUT, file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCode.INVALID_INPUT, file + ": is a directory, not a firmware file");
        }
        if (!Files.isReadable(file)) {
            throw new CliException(ExitCode.INVALID_INPUT, file + ": permission denied");
        }
    }

    static RuntimeException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new CliException(ExitCode.INVALID_INPUT, file + ": no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new CliException(ExitCode.INVALID_INPUT, file + ": permission denied", e);
        }
        return new CliException(ExitCode.INVALID_INPUT, file + ": " + e.getMessage(), e);
    }

    /**
     * An output file that cannot be written is a problem with the command line (exit 2), named with
     * its path; the firmware itself was fine.
     */
    static RuntimeException unwritable(Path file, IOException e) {
        Path parent = file.toAbsolutePath().getParent();
        String why;
        if (e instanceof NoSuchFileException && parent != null && !Files.isDirectory(parent)) {
            why = "directory " + parent + " does not exist";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (Files.isDirectory(file)) {
            why = "is a directory";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new CliException(ExitCode.USAGE, "cannot write " + file + ": " + why, e);
    }
}
