package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.MemoryLayout;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dfu upload}: --length defaults to the rest of the memory region, --address to its start, and - is stdout. */
class UploadDefaultsTest {
    @TempDir
    Path dir;

    static CliRunner sim(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--sim", "stm32f405", "--sim-time", "virtual"}, 0, all, args.length, 4);
        return CliRunner.run(all);
    }

    @Test
    void withoutLengthItReadsToTheEndOfTheRegionAndWithoutAddressFromItsStart() throws Exception {
        Path all = dir.resolve("all.bin");
        CliRunner whole = sim("upload", all.toString());
        assertEquals(0, whole.exitCode(), whole.err());
        assertEquals(1 << 20, Files.size(all), "the F405's 1 MB flash: 4x16K + 64K + 7x128K are one region");
        assertTrue(whole.out().contains("Read 1048576 bytes from 0x08000000"), whole.out());

        Path rest = dir.resolve("rest.bin");
        CliRunner fromSector4 = sim("upload", rest.toString(), "--address", "0x08010000");
        assertEquals(0, fromSector4.exitCode(), fromSector4.err());
        assertEquals((1 << 20) - 0x10000, Files.size(rest));
    }

    @Test
    void anAddressOutsideTheLayoutNeedsALength() {
        CliRunner r = sim("upload", dir.resolve("x.bin").toString(), "--address", "0x20000000");
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("0x20000000 is not in a memory region of alt 0") && r.err().contains("give --length"), r.err());
    }

    @Test
    void dashWritesTheRawBytesToStdoutAndTheSummaryToStderr() throws Exception {
        Path state = dir.resolve("f405.state");
        Path firmware = DeviceCommandsTest.FIRMWARE.resolve("blinky-f405.dfu");
        assertEquals(0, sim("flash", firmware.toString(), "--sim-state", state.toString()).exitCode());
        Segment segment = FirmwareFiles.read(firmware).segments().get(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var saved = UploadCommand.stdout;
        UploadCommand.stdout = () -> bytes;
        try {
            CliRunner r = sim("upload", "-", "--length", String.valueOf(segment.length()), "--sim-state", state.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertArrayEquals(segment.bytes(), bytes.toByteArray());
            assertEquals("", r.out(), "stdout holds only the data");
            assertTrue(r.err().contains("Read " + segment.length() + " bytes from 0x08000000 to stdout."), r.err());
        } finally {
            UploadCommand.stdout = saved;
        }
        CliRunner json = sim("upload", "-", "--json");
        assertEquals(ExitCode.USAGE, json.exitCode(), json.err());
    }

    @Test
    void theRegionEndsAtAGapBetweenZones() throws Exception {
        MemoryLayout mboot = MemoryLayout.parse(
                "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x80000000/64*32Kg/0x90000000/64*32Kg");
        assertEquals(OptionalLong.of(0x100000 - 0x4000), UploadCommand.restOfRegion(Optional.of(mboot), 0x08004000L));
        assertEquals(OptionalLong.of(64 * 32 * 1024 - 0x1000), UploadCommand.restOfRegion(Optional.of(mboot), 0x80001000L));
        assertEquals(OptionalLong.empty(), UploadCommand.restOfRegion(Optional.of(mboot), 0x08100000L));
        assertEquals(OptionalLong.empty(), UploadCommand.restOfRegion(Optional.empty(), 0x08000000L));
    }
}
