package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.DfuseTarget;
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
        assertTrue(r.err().startsWith("dfu: " + bad + ":1: checksum 0xf1, expected 0xf2"), "file:line: " + r.err());
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

    @Test
    void infoJsonOfADfuseFileShowsTargetsElementsAndSuffix() {
        CliRunner r = CliRunner.run("info", "--json", Path.of("..", "examples", "firmware", "pybd-sf2-two-region.dfu").toString());
        assertEquals(0, r.exitCode(), r.err());
        String j = r.out().strip();
        assertTrue(j.contains("\"format\":\"DFUSE\",\"fileSize\":709,\"totalBytes\":392"), j);
        assertTrue(j.contains("\"segments\":[{\"address\":\"0x08008000\",\"length\":136,\"end\":\"0x08008088\",\"alt\":0,"
                + "\"targetName\":\"ST...\"},{\"address\":\"0x90000000\",\"length\":256,"), j);
        assertTrue(j.contains("\"suffix\":{\"bcdDevice\":\"0x0000\",\"idProduct\":\"0xdf11\",\"idVendor\":\"0x0483\",\"bcdDFU\":\"0x011a\""), j);
        assertTrue(j.endsWith("\"dfuse\":{\"imageSize\":709,\"imageSizeIncludesSuffix\":true,\"targets\":[{\"alt\":0,\"name\":\"ST...\","
                + "\"named\":true,\"size\":408,\"elements\":[{\"address\":\"0x08008000\",\"size\":136,\"end\":\"0x08008088\"},"
                + "{\"address\":\"0x90000000\",\"size\":256,\"end\":\"0x90000100\"}]}]}}"), j);
    }

    @Test
    void helpListsTheExitCodesAndTheirRules() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        for (String line : new String[] {"Exit codes (each command's code reports its own job):", "  0  success",
                "  1  device or operation failure", "  2  usage error", "  3  invalid input file", "  4  no matching device",
                "  5  written, but the write reset the device",
                "  flash --leave: 0 once flashed and verified, even if the device came back in\n"
                        + "     DFU mode (a warning; 1 with --require-start); 1 if leaving failed.",
                "  leave: 1 if the device is still or again in DFU mode afterwards."}) {
            assertTrue(r.out().contains(line), "missing '" + line + "' in:\n" + r.out());
        }
    }

    @Test
    void everySubcommandTakesHelp() {
        CliRunner flash = CliRunner.run("flash", "--help");
        assertEquals(0, flash.exitCode(), flash.err());
        assertTrue(flash.out().startsWith("Usage: dfu flash ") && flash.out().contains("--allow-outside-layout")
                && flash.out().contains("--require-start"), flash.out());
        CliRunner set = CliRunner.run("option-bytes", "set", "--help");
        assertEquals(0, set.exitCode(), set.err());
        assertTrue(set.out().contains("--allow-boot-lock") && set.out().contains("--allow-mass-erase"), set.out());
        CliRunner convert = CliRunner.run("convert", "-h");
        assertEquals(0, convert.exitCode(), convert.err());
        assertTrue(convert.out().contains("--target=ALT:NAME") && convert.out().contains("--bcd-device"), convert.out());
    }

    // ---- convert -------------------------------------------------------------------------------------------

    @Test
    void convertRecordLengthAppliesToTheChosenFormatOnly() throws Exception {
        Path a = hexFile("a.hex", 0x08000000L, new byte[300]);
        Path out = dir.resolve("long.hex");
        CliRunner hex = CliRunner.run("convert", a.toString(), "--format", "hex", "--record-length", "255", "-o", out.toString());
        assertEquals(0, hex.exitCode(), hex.err());
        assertTrue(Files.readAllLines(out).stream().anyMatch(l -> l.startsWith(":FF000000")), "255-byte records");
        CliRunner srec = CliRunner.run("convert", a.toString(), "--format", "srec", "--record-length", "255", "-o",
                dir.resolve("x.srec").toString());
        assertEquals(2, srec.exitCode());
        assertTrue(srec.err().contains("S-record length out of range 1..250: 255"), srec.err());
        CliRunner dfuse = CliRunner.run("convert", a.toString(), "--record-length", "32", "-o", dir.resolve("x.dfu").toString());
        assertEquals(2, dfuse.exitCode());
        assertTrue(dfuse.err().contains("--record-length applies to Intel HEX and S-record output"), dfuse.err());
    }

    @Test
    void convertToAnUnwritablePathIsAUsageErrorNamingThePath() throws Exception {
        Path a = hexFile("a.hex", 0x08000000L, new byte[] {1, 2});
        Path nowhere = dir.resolve("no").resolve("such").resolve("x.hex");
        CliRunner r = CliRunner.run("convert", a.toString(), "-o", nowhere.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("dfu: cannot write " + nowhere + ": directory " + nowhere.getParent() + " does not exist", r.err().strip());

        CliRunner missingInput = CliRunner.run("convert", dir.resolve("nope.bin") + "@0x08000000", "-o", dir.resolve("y.hex").toString());
        assertEquals(3, missingInput.exitCode());
        assertEquals("dfu: " + dir.resolve("nope.bin") + ": no such file", missingInput.err().strip());
    }

    @Test
    void convertBaseAndVidPid() throws Exception {
        Path bin = dir.resolve("app.bin");
        Files.write(bin, new byte[] {1, 2, 3, 4});
        Path hex = dir.resolve("app.hex");
        CliRunner based = CliRunner.run("convert", bin.toString(), "--base", "0x08004000", "-o", hex.toString());
        assertEquals(0, based.exitCode(), based.err());
        assertEquals(0x08004000L, FirmwareFiles.read(hex).segments().get(0).address());

        Path dfu = dir.resolve("app.dfu");
        CliRunner ids = CliRunner.run("convert", bin.toString(), "--vid", "0x1209", "--pid", "0xbeef", "-o", dfu.toString());
        assertEquals(0, ids.exitCode(), ids.err());
        FirmwareImage read = FirmwareFiles.read(dfu);
        assertEquals(0x1209, read.suffix().orElseThrow().idVendor());
        assertEquals(0xBEEF, read.suffix().orElseThrow().idProduct());
        assertEquals(0x08000000L, read.segments().get(0).address(), "default base");
    }

    @Test
    void convertRebuildsThePyboardTwoRegionFileByteForByteFromItsParts() throws Exception {
        // examples/firmware/Makefile: objcopy splits the ELF into the flash and the QSPI part, then
        // dfuse-pack -b 0x08008000:flash.bin -b 0x90000000:qspi.bin (bcdDevice 0)
        Path parts = dir.resolve("pybd.bin");
        CliRunner split = CliRunner.run("convert", Path.of("..", "examples", "firmware", "pybd-sf2-two-region.elf").toString(), "-o", parts.toString());
        assertEquals(0, split.exitCode(), split.err());
        Path flash = dir.resolve("pybd-0x08008000.bin");
        Path qspi = dir.resolve("pybd-0x90000000.bin");
        assertTrue(Files.exists(flash) && Files.exists(qspi), split.out());

        Path rebuilt = dir.resolve("rebuilt.dfu");
        CliRunner r = CliRunner.run("convert", flash + "@0x08008000", qspi + "@0x90000000", "--bcd-device", "0", "-o", rebuilt.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(Files.readAllBytes(Path.of("..", "examples", "firmware", "pybd-sf2-two-region.dfu")), Files.readAllBytes(rebuilt));
    }

    @Test
    void convertBuildsAMultiTargetDfuseFile() throws Exception {
        Path flash = dir.resolve("flash.bin");
        Path qspi = dir.resolve("qspi.bin");
        Files.write(flash, new byte[] {1, 2, 3, 4});
        Files.write(qspi, new byte[] {5, 6});
        Path out = dir.resolve("two.dfu");
        CliRunner r = CliRunner.run("convert", flash + "@0x08000000", qspi + "@0x90000000:1", "--target", "1:QSPI", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        FirmwareImage read = FirmwareFiles.read(out);
        assertEquals(new DfuseTarget(0, "ST..."), read.segments().get(0).target().orElseThrow());
        assertEquals(new DfuseTarget(1, "QSPI"), read.segments().get(1).target().orElseThrow());
        assertArrayEquals(new byte[] {5, 6}, read.segments().get(1).bytes());

        CliRunner info = CliRunner.run("info", out.toString());
        assertTrue(info.out().contains("DfuSe:       2 target(s)") && info.out().contains("target alt 1 \"QSPI\": 1 element(s)"), info.out());

        CliRunner unused = CliRunner.run("convert", flash + "@0x08000000", "--target", "3:X", "-o", dir.resolve("u.dfu").toString());
        assertEquals(2, unused.exitCode());
        assertTrue(unused.err().contains("no input goes to alt 3"), unused.err());
        CliRunner notDfuse = CliRunner.run("convert", qspi + "@0x90000000:1", "-o", dir.resolve("q.hex").toString());
        assertEquals(2, notDfuse.exitCode());
        CliRunner hexAt = CliRunner.run("convert", hexFile("h.hex", 0x08000000L, new byte[] {1}) + "@0x08001000", "-o",
                dir.resolve("h2.hex").toString());
        assertEquals(2, hexAt.exitCode());
        assertTrue(hexAt.err().contains("is Intel HEX and carries its own addresses; @ADDR is for raw binaries"), hexAt.err());
        CliRunner garbled = CliRunner.run("convert", dir.resolve("missing.bin") + "@banana", "-o", dir.resolve("g.hex").toString());
        assertEquals(2, garbled.exitCode());
        assertTrue(garbled.err().contains("an input is FILE, FILE@ADDR"), garbled.err());
    }

    // ---- USB commands without a device -------------------------------------------------------------------

    @Test
    void listJsonRunsWithoutADevice() {
        CliRunner r = CliRunner.run("list", "--json");
        if (r.exitCode() == 0) {
            assertTrue(r.out().strip().matches("\\{\"backend\":\"(JNA|USB4JAVA)\",\"libusb\":.*,\"devices\":\\[.*\\]\\}"), r.out());
        } else {
            assertEquals(4, r.exitCode(), "no USB backend at all is 'no device': " + r.err());
            assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("dfu: ")).count(), r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void doctorRunsWithoutADevice() {
        CliRunner json = CliRunner.run("doctor", "--json");
        assertTrue(json.exitCode() == 0 || json.exitCode() == 4, "0 healthy, 4 not: " + json.exitCode() + " " + json.err());
        String j = json.out().strip();
        assertTrue(j.startsWith("{\"os\":") && j.contains("\"backends\":[{\"backend\":") && j.contains("\"devices\":["), j);
        assertTrue(j.endsWith("\"healthy\":" + (json.exitCode() == 0) + "}"), j);
        CliRunner text = CliRunner.run("doctor");
        assertEquals(json.exitCode(), text.exitCode());
        assertTrue(text.out().startsWith("Host: ") && text.out().contains("USB backends:") && text.out().contains("DFU interfaces: "),
                text.out());
        assertFalse(text.err().contains("\tat "), text.err());
    }
}
