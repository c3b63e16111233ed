package io.github.dfu4j.formats;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rule "never allocate from an unchecked size field", measured: the bytes this thread allocates
 * while a reader rejects (or reads) a 60 KB file whose size fields claim gigabytes stay within a small
 * multiple of the file size. A reader that sized a buffer or a list from the field before checking it
 * against the bytes present would allocate the claimed size (or fail with OutOfMemoryError).
 * Measured with HotSpot's per-thread allocation counter after a warm-up read of the same input, so
 * class loading and first-call caches do not count; the parse runs on bytes already in memory.
 */
class AllocationBoundsTest {
    static final int FACTOR = 16;

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }

    /** Bytes allocated by this thread while reading {@code content} (fewest of 3 runs after a warm-up). */
    static long allocatedByRead(String name, byte[] content, FirmwareFormat format) {
        assumeTrue(THREADS != null, "this JVM does not count allocated bytes per thread");
        ReadOptions options = ReadOptions.builder().format(format).build();
        long fewest = Long.MAX_VALUE;
        for (int run = 0; run < 4; run++) {
            long id = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(id);
            try {
                FirmwareFiles.read(name, content, options);
            } catch (FirmwareFormatException e) {
                // expected for the hostile inputs; the message is checked by the callers
            }
            long used = THREADS.getThreadAllocatedBytes(id) - before;
            if (run > 0) {
                fewest = Math.min(fewest, used);
            }
        }
        return fewest;
    }

    static void assertSmall(String name, byte[] content, FirmwareFormat format, long bound) {
        long used = allocatedByRead(name, content, format);
        System.out.printf("[dfu4j] %s (%d bytes): %d bytes allocated (bound %d)%n", name, content.length, used, bound);
        assertTrue(used < bound, name + ": allocated " + used + " bytes reading a " + content.length
                + "-byte file, bound " + bound);
    }

    static byte[] regression(String path) throws Exception {
        return Files.readAllBytes(Path.of(AllocationBoundsTest.class.getResource("/regressions/" + path).toURI()));
    }

    static String message(String name, byte[] content, FirmwareFormat format) {
        return assertThrows(FirmwareFormatException.class,
                () -> FirmwareFiles.read(name, content, ReadOptions.builder().format(format).build())).getMessage();
    }

    @Test
    void dfuseElementSizeOf4GiBIn60KB() throws Exception {
        byte[] file = regression("dfuse/element-size-4gib.dfu");
        assertTrue(message("e.dfu", file, FirmwareFormat.DFUSE).contains("dwElementSize 4294967295 exceeds"));
        assertSmall("element-size-4gib.dfu", file, FirmwareFormat.DFUSE, (long) FACTOR * file.length);
    }

    @Test
    void dfuseTargetSizeOf4GiBIn60KB() throws Exception {
        byte[] file = regression("dfuse/target-size-4gib.dfu");
        assertTrue(message("t.dfu", file, FirmwareFormat.DFUSE).contains("dwTargetSize 4294967280 exceeds"));
        assertSmall("target-size-4gib.dfu", file, FirmwareFormat.DFUSE, (long) FACTOR * file.length);
    }

    @Test
    void dfuseElementCountThatFillsTheTargetDoesNotPresizeTheElementList() throws Exception {
        // fix 137937d: dwNbElements (7500, as many 8-byte headers as the 60000-byte target could hold)
        // passes the fit check; element 0 fails before any data is copied, so nothing sized by the
        // count may be allocated: the list pre-sized from it took 30 KB, half the file
        byte[] file = regression("dfuse/element-count-fills-target.dfu");
        assertTrue(message("c.dfu", file, FirmwareFormat.DFUSE).contains("element 0: 0xffffff00 + 59992 runs past"));
        assertSmall("element-count-fills-target.dfu", file, FirmwareFormat.DFUSE, file.length / 4);
    }

    @Test
    void elfFileszOf4GiBIn60KB() throws Exception {
        // one PT_LOAD claiming p_filesz 0xFFFFFFF0 from offset 84, padded to 60 KB
        LittleEndianWriter w = new LittleEndianWriter();
        w.u8s(0x7F, 'E', 'L', 'F').u8(1).u8(1).u8(1).zeros(9);
        w.u16(2).u16(40).u32(1).u32(0).u32(52).u32(0).u32(0x05000200).u16(52).u16(32).u16(1).u16(40).u16(0).u16(0);
        w.u32(1).u32(84).u32(0x08000000L).u32(0x08000000L).u32(0xFFFFFFF0L).u32(0xFFFFFFF0L).u32(5).u32(4);
        byte[] file = w.zeros(60_000 - w.size()).toByteArray();
        assertTrue(message("f.elf", file, FirmwareFormat.ELF).contains("p_filesz") || message("f.elf", file, FirmwareFormat.ELF)
                .contains("run past the end of the 60000-byte file"));
        assertSmall("filesz-4gib (60 KB)", file, FirmwareFormat.ELF, (long) FACTOR * file.length);
    }

    @Test
    void elfWithThousandsOfLoadHeadersSharingTheFile() throws Exception {
        // 1800 PT_LOAD entries each claiming the whole 60 KB file: more than the file in total
        int count = 1800;
        LittleEndianWriter w = new LittleEndianWriter();
        w.u8s(0x7F, 'E', 'L', 'F').u8(1).u8(1).u8(1).zeros(9);
        w.u16(2).u16(40).u32(1).u32(0).u32(52).u32(0).u32(0x05000200).u16(52).u16(32).u16(count).u16(40).u16(0).u16(0);
        for (int i = 0; i < count; i++) {
            w.u32(1).u32(0).u32(0x1000_0000L * (i % 8)).u32(0x10000L * i).u32(60_000).u32(60_000).u32(5).u32(4);
        }
        byte[] file = w.zeros(60_000 - w.size()).toByteArray();
        assertTrue(message("s.elf", file, FirmwareFormat.ELF).contains("load segments claim 120000 bytes"));
        assertSmall("shared-load-segments (60 KB)", file, FirmwareFormat.ELF, (long) FACTOR * file.length);
    }

    @Test
    void intelHexScatteredOverTheAddressSpace() throws Exception {
        // 1 data record per 64 KiB window (04 + 00 records): ~1000 runs, none of them may cost more
        // than its own bytes plus the one-time size hint
        StringBuilder hex = new StringBuilder();
        for (int window = 0; hex.length() < 60_000; window++) {
            hex.append(record(2, 0, 4, new int[] {window >>> 8 & 0xFF, window & 0xFF}));
            hex.append(record(16, 0x1234, 0, new int[16]));
        }
        hex.append(":00000001FF\r\n");
        byte[] file = hex.toString().getBytes(StandardCharsets.US_ASCII);
        FirmwareImage image = FirmwareFiles.read("s.hex", file, ReadOptions.defaults());
        assertTrue(image.segments().size() > 900, image.segments().size() + " runs");
        assertSmall("scattered.hex", file, FirmwareFormat.INTEL_HEX, (long) FACTOR * file.length);
    }

    private static String record(int count, int address, int type, int[] data) {
        StringBuilder s = new StringBuilder(String.format(":%02X%04X%02X", count, address, type));
        int sum = count + (address >>> 8) + (address & 0xFF) + type;
        for (int b : data) {
            s.append(String.format("%02X", b));
            sum += b;
        }
        return s.append(String.format("%02X\r\n", -sum & 0xFF)).toString();
    }

    @Test
    void theMeasurementSeesAnAllocationOfTheClaimedSize() throws Exception {
        // the counter itself works: a parse that does copy its 60 KB is counted
        byte[] file = regression("dfuse/element-size-4gib.dfu");
        byte[] valid = FirmwareFiles.write(FirmwareImage.of(Segment.of(0x08000000L, new byte[60_000])),
                FirmwareFormat.DFUSE, WriteOptions.defaults());
        long used = allocatedByRead("valid.dfu", valid, FirmwareFormat.DFUSE);
        assertTrue(used >= 60_000, "a valid 60 KB element is copied once at least: " + used);
        assertEquals(60_309, file.length);
    }
}
