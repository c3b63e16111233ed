package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommandsTest {
    @TempDir
    Path dir;

    private Path hexFile(String name, long address, byte[] data) throws Exception {
        Path file = dir.resolve(name);
        FirmwareFiles.write(file, FirmwareImage.of(Segment.of(address, data)), FirmwareFormat.INTEL_HEX, WriteOptions.defaults());
        return file;
    }

    @Test
    void infoPrintsSegmentsAndJson() throws Exception {
        Path hex = hexFile("app.hex", 0x08000000L, new byte[] {1, 2, 3, 4});
        CliRunner text = CliRunner.run("info", hex.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("Intel HEX"), text.out());
        assertTrue(text.out().contains("0x08000000..0x08000004"), text.out());

        CliRunner json = CliRunner.run("info", "--json", hex.toString());
        assertEquals(0, json.exitCode());
        assertTrue(json.out().startsWith("{\"file\":"), json.out());
        assertTrue(json.out().contains("\"segments\":[{\"address\":\"0x08000000\",\"length\":4,\"end\":\"0x08000004\"}]"), json.out());
    }

    @Test
    void invalidFileExitsThreeWithOneLineNamingFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.hex");
        Files.writeString(bad, ":0400000001020304F1\n:0400000001020304F2\n", StandardCharsets.US_ASCII);
        CliRunner r = CliRunner.run("info", bad.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().startsWith("dfu: " + bad + ":"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void missingFileExitsThree() {
        CliRunner r = CliRunner.run("info", dir.resolve("nope.hex").toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void unknownOptionIsUsageError() {
        CliRunner r = CliRunner.run("info", "--bogus", "x.hex");
        assertEquals(2, r.exitCode());
    }

    @Test
    void convertMergesInputsIntoDfuseAndBack() throws Exception {
        Path a = hexFile("a.hex", 0x08000000L, new byte[] {1, 2, 3, 4});
        Path b = hexFile("b.hex", 0x90000000L, new byte[] {5, 6});
        Path out = dir.resolve("both.dfu");
        CliRunner r = CliRunner.run("convert", a.toString(), b.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        FirmwareImage read = FirmwareFiles.read(out);
        assertEquals(2, read.segments().size());
        assertEquals(0x90000000L, read.segments().get(1).address());
        assertEquals(0x0483, read.suffix().orElseThrow().idVendor());
    }

    @Test
    void convertRefusesConflictingInputsNamingBoth() throws Exception {
        Path a = hexFile("a.hex", 0x08000000L, new byte[] {1, 2, 3, 4});
        Path b = hexFile("b.hex", 0x08000002L, new byte[] {9, 9});
        CliRunner r = CliRunner.run("convert", a.toString(), b.toString(), "-o", dir.resolve("x.hex").toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("a.hex") && r.err().contains("b.hex"), r.err());
        assertTrue(r.err().toLowerCase().contains("0x08000002"), r.err());
    }

    @Test
    void binaryOutputOfTwoSegmentsIsOneFilePerSegmentUnlessFilled() throws Exception {
        Path a = hexFile("a.hex", 0x08000000L, new byte[] {1, 2});
        Path b = hexFile("b.hex", 0x08000010L, new byte[] {3});
        CliRunner parts = CliRunner.run("convert", a.toString(), b.toString(), "-o", dir.resolve("fw.bin").toString());
        assertEquals(0, parts.exitCode(), parts.err());
        assertEquals(2, parts.out().lines().filter(l -> l.startsWith("wrote ")).count(), parts.out());
        assertFalse(Files.exists(dir.resolve("fw.bin")));

        CliRunner flat = CliRunner.run("convert", a.toString(), b.toString(), "-o", dir.resolve("flat.bin").toString(), "--fill");
        assertEquals(0, flat.exitCode(), flat.err());
        byte[] bytes = Files.readAllBytes(dir.resolve("flat.bin"));
        assertEquals(17, bytes.length);
        assertEquals((byte) 0xFF, bytes[5]);
        assertEquals(3, bytes[16]);
    }
}
