package io.github.dfu4j.cli;

import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareFileInfo;
import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.FirmwareImages;
import io.github.dfu4j.formats.NamedImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.Segment;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
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
 * existing file is always taken as a plain file name, so names containing '@' keep working. FILE
 * {@code -} is standard input ({@code ./-} names a file called "-").
 *
 * <p>Every input is read once, through {@link FirmwareFiles}' bounded reader (at most
 * {@link FirmwareFiles#MAX_FILE_BYTES}): a pipe, a FIFO, a device or standard input is read to its
 * end, so it must never be opened twice (a FIFO's second open waits for a writer that never comes).
 */
final class Inputs {
    /** Name of standard input in messages. */
    static final String STDIN_NAME = "<stdin>";
    /** Bytes enough to recognise a signature or a text format's first line (see FirmwareFiles.detectByContent). */
    private static final int HEAD = 1 << 16;

    /** What {@code -} reads; {@link DfuCli#run} sets it so that tests can feed it. */
    private static volatile InputStream standardInput = System.in;

    private Inputs() {
    }

    static InputStream standardInput(InputStream in) {
        InputStream previous = standardInput;
        standardInput = in;
        return previous;
    }

    /** One parsed input argument; {@code file} is null for standard input. */
    record Input(Path file, OptionalLong address, OptionalInt alt) {
        boolean stdin() {
            return file == null;
        }

        String name() {
            return stdin() ? STDIN_NAME : file.toString();
        }
    }

    static Input parse(String argument) {
        if (argument.equals("-")) {
            return new Input(null, OptionalLong.empty(), OptionalInt.empty());
        }
        Path whole = Path.of(argument);
        if (argument.startsWith("-") && !argument.startsWith("-@") && !Files.exists(whole)) {
            // flash and convert let picocli pass unknown options through as inputs (so that -@ADDR reaches
            // here); a mistyped option is still a usage error, not a missing file
            throw CliException.unknownOption(argument, "unknown option '" + argument + "' (an input named like an option: ./"
                    + argument + ")");
        }
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
            String file = argument.substring(0, at);
            return new Input(file.equals("-") ? null : Path.of(file), address, alt);
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
        if (inputs.stream().filter(Input::stdin).count() > 1) {
            throw new CliException(ExitCode.USAGE, "standard input ('-') can be given only once: it can be read only once");
        }
        return inputs;
    }

    /** {@code dfu info}'s reading: FILE or {@code -}. */
    static FirmwareFileInfo inspect(Input input, ReadOptions options) throws FirmwareFormatException {
        try {
            if (input.stdin()) {
                return FirmwareFiles.inspect(STDIN_NAME, standardInput, options);
            }
            checkReadable(input.file());
            return FirmwareFiles.inspect(input.file(), options);
        } catch (FirmwareFormatException e) {
            throw e;
        } catch (IOException e) {
            throw unreadable(input.name(), e);
        } catch (OutOfMemoryError e) {
            throw tooLargeForMemory(input, e);
        }
    }

    /**
     * An input the Java heap cannot hold: exit 1 (the machine's limit, not a bad file), naming it, its
     * size when it is a file, and a heap that holds it (the file's size plus 32 MiB, rounded up to 32 MiB:
     * an image is never larger than its file, and the rest of the work fits in 32 MiB).
     */
    static CliException tooLargeForMemory(Input input, OutOfMemoryError e) {
        long size = -1;
        if (!input.stdin()) {
            try {
                size = Files.isRegularFile(input.file()) ? Files.size(input.file()) : -1;
            } catch (IOException | SecurityException ignored) {
                size = -1;
            }
        }
        if (size < 0) {
            return new CliException(ExitCode.DEVICE_FAILURE, input.name() + ": too large to hold in memory ("
                    + DfuCli.heapDescription() + ")", e);
        }
        long mib = (size + (1 << 20) - 1) >> 20;
        long heap = Math.max((mib + 32 + 31) / 32 * 32, 2 * (Runtime.getRuntime().maxMemory() >> 20));
        return new CliException(ExitCode.DEVICE_FAILURE, input.name() + ": too large to hold in memory (" + mib
                + " MiB file; the Java heap is limited to " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB; raise it, e.g. DFU_JAVA_OPTS=-Xmx" + heap + "m for ./dfu, java -Xmx" + heap + "m otherwise)", e);
    }

    /**
     * Reads one input: FILE@ADDR forces a raw binary at ADDR (refused for files that carry their own
     * addresses); an ALT puts every segment in DfuSe target ALT, named from {@code targetNames}
     * (default {@code defaultName}).
     */
    static FirmwareImage read(Input input, ReadOptions options, Map<Integer, String> targetNames, String defaultName)
            throws FirmwareFormatException {
        FirmwareImage image;
        try {
            image = readOnce(input, options);
        } catch (FirmwareFormatException e) {
            throw e;
        } catch (IOException e) {
            throw unreadable(input.name(), e);
        } catch (OutOfMemoryError e) {
            throw tooLargeForMemory(input, e);
        }
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

    /**
     * Reads one input, opening it once. FILE@ADDR forces a raw binary at ADDR after a look at the
     * first bytes: a format that carries its own addresses is refused.
     */
    private static FirmwareImage readOnce(Input input, ReadOptions options) throws IOException {
        if (!input.stdin()) {
            checkReadable(input.file());
        }
        if (input.address().isEmpty() && input.stdin() && options.baseAddress().isPresent() && options.format().isEmpty()) {
            // standard input has no name to tell a raw binary by: with an explicit base address, content that is
            // no known format is a raw binary there (dfu-util -D - writes any bytes)
            PushbackInputStream in = new PushbackInputStream(standardInput, HEAD);
            byte[] head = in.readNBytes(HEAD);
            in.unread(head);
            boolean known = FirmwareFiles.detectByContent(head).filter(f -> f != FirmwareFormat.BINARY).isPresent();
            return FirmwareFiles.read(STDIN_NAME, in, known ? options : options.toBuilder().format(FirmwareFormat.BINARY).build());
        }
        if (input.address().isEmpty()) {
            return input.stdin() ? FirmwareFiles.read(STDIN_NAME, standardInput, options) : FirmwareFiles.read(input.file(), options);
        }
        ReadOptions raw = options.toBuilder().format(FirmwareFormat.BINARY).baseAddress(input.address().getAsLong()).build();
        if (!input.stdin() && Files.isRegularFile(input.file())) {
            try (InputStream in = Files.newInputStream(input.file())) {
                refuseCarriedAddresses(input, in.readNBytes(HEAD));
            }
            return FirmwareFiles.read(input.file(), raw); // a regular file may be opened again: sized, read in place
        }
        // a pipe, FIFO, device or stdin: one stream, its head looked at and pushed back
        // FileInputStream, not Files.newInputStream: the NIO stream asks a FIFO for its position ("Illegal seek")
        InputStream source = input.stdin() ? standardInput : new FileInputStream(input.file().toFile());
        try {
            PushbackInputStream in = new PushbackInputStream(source, HEAD);
            byte[] head = in.readNBytes(HEAD);
            refuseCarriedAddresses(input, head);
            in.unread(head);
            return FirmwareFiles.read(input.name(), in, raw);
        } finally {
            if (!input.stdin()) {
                source.close();
            }
        }
    }

    private static void refuseCarriedAddresses(Input input, byte[] head) {
        Optional<FirmwareFormat> carried = FirmwareFiles.detectByContent(head);
        if (carried.isPresent() && carried.get() != FirmwareFormat.BINARY) {
            throw new CliException(ExitCode.USAGE, input.name() + "@" + String.format("0x%08x", input.address().getAsLong())
                    + ": " + input.name() + " is " + carried.get().displayName()
                    + " and carries its own addresses; @ADDR is for raw binaries");
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

    /**
     * For inputs that are not firmware files (a --replay recording, a --sim-state file), which their
     * readers load whole: a regular file of at most {@link FirmwareFiles#MAX_FILE_BYTES}, else exit 3.
     */
    static void checkRegularUnderCap(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new CliException(ExitCode.INVALID_INPUT, what + file + ": not a regular file");
            }
            long size = Files.size(file);
            if (size > FirmwareFiles.MAX_FILE_BYTES) {
                throw new CliException(ExitCode.INVALID_INPUT, what + file + ": file is " + size
                        + " bytes, more than the 1 GiB (" + FirmwareFiles.MAX_FILE_BYTES + "-byte) limit");
            }
        } catch (IOException e) {
            throw unreadable(what + file, e);
        }
    }

    static RuntimeException unreadable(Object file, IOException e) {
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
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            why = f.getReason(); // without the path, which may be the temporary file written beside FILE
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new CliException(ExitCode.USAGE, "cannot write " + file + ": " + why, e);
    }
}
