package io.github.dfu4j.cli;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.FirmwareImages;
import io.github.dfu4j.formats.NamedImage;
import io.github.dfu4j.formats.ReadOptions;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads firmware files for the commands, turning file-system problems into exit code 3. */
final class Inputs {
    private Inputs() {
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

    /** Reads every file and merges them; conflicting bytes name both files and the address. */
    static FirmwareImage readAll(List<Path> files, ReadOptions options) throws FirmwareFormatException {
        List<NamedImage> images = new ArrayList<>();
        for (Path file : files) {
            images.add(new NamedImage(file.toString(), read(file, options)));
        }
        return images.size() == 1 ? images.get(0).image() : FirmwareImages.merge(images);
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
}
