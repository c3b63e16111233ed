package io.github.dfu4j.integration;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.dfu.DfuRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.MemoryRange;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.ops.VerifyException;
import io.github.dfu4j.ops.AddressingMode;
import io.github.dfu4j.sim.Command;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental flashing (unchanged sectors skipped, changed ones rewritten, the vector-table sector
 * erased first and written last whenever anything changes) and the addressing fallback (a bootloader that mis-addresses block
 * numbers is caught by verification and the image rewritten with SET_ADDRESS per block), on the
 * simulated devices through identification.
 */
class IncrementalAndAddressingTest {

    static Stream<String> devices() {
        return Stream.of("stm32f405", "stm32h743", "mboot-pybd-sf2");
    }

    private static FlashResult flash(SimulatedDevice d, FirmwareImage image, FlashOptions options) throws DfuException {
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            return dev.download(image, options, ProgressListener.NONE);
        }
    }

    /** The image with {@code length} bytes changed at {@code offset} of its first segment. */
    private static FirmwareImage changed(FirmwareImage image, int offset, int length, long seed) {
        Segment s = image.segments().get(0);
        byte[] b = s.bytes();
        byte[] noise = Firmware.random(length, seed);
        for (int i = 0; i < length; i++) {
            b[offset + i] = (byte) ~b[offset + i] == (byte) 0xFF ? noise[i] : (byte) ~b[offset + i];
        }
        return FirmwareImage.of(Stream.concat(Stream.of(Segment.of(s.address(), b)), image.segments().stream().skip(1)).toList());
    }

    private static List<Long> writeAddresses(SimulatedDevice d, int fromTrace) {
        List<TraceEntry> t = d.trace();
        return t.subList(fromTrace, t.size()).stream()
                .filter(e -> e.request().request() == DfuRequest.DNLOAD)
                .filter(e -> e.request().command().orElse(null) instanceof Command.Write)
                .map(e -> ((Command.Write) e.request().command().orElseThrow()).address()).toList();
    }

    private static List<Long> eraseAddresses(SimulatedDevice d, int fromTrace) {
        List<TraceEntry> t = d.trace();
        return t.subList(fromTrace, t.size()).stream()
                .filter(e -> e.request().request() == DfuRequest.DNLOAD)
                .filter(e -> e.request().command().orElse(null) instanceof Command.Erase)
                .map(e -> ((Command.Erase) e.request().command().orElseThrow()).address()).toList();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void incrementalFlashRewritesChangedSectorsAndAlwaysTheVectorTableSectorLast(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        FirmwareImage a = Firmware.multiSector(d, 3);
        FlashResult first = flash(d, a, FlashOptions.defaults());
        int touched = first.writes().erased().size();
        assertTrue(touched >= 3, first.writes().erased().toString());

        // nothing changed: nothing erased or written
        int mark = d.trace().size();
        FlashResult same = flash(d, a, FlashOptions.builder().incremental(true).build());
        assertEquals(touched, same.writes().unchangedSectors());
        assertTrue(same.writes().erased().isEmpty());
        assertTrue(writeAddresses(d, mark).isEmpty());
        Firmware.assertHolds(d, a);

        // one byte range in the third sector changed: that sector and the vector-table sector are
        // erased (the table's first) and written (the table's last); the sectors between are left alone
        List<MemoryRange> sorted = first.writes().erased().stream().sorted(java.util.Comparator.comparingLong(MemoryRange::start)).toList();
        MemoryRange table = sorted.get(0);
        MemoryRange third = sorted.get(2);
        long base = a.segments().get(0).address();
        FirmwareImage b = changed(a, (int) (third.start() - base) + 100, 300, 5);
        mark = d.trace().size();
        FlashResult inc = flash(d, b, FlashOptions.builder().incremental(true).build());
        assertTrue(inc.verified());
        assertEquals(List.of(table, third), inc.writes().erased());
        assertEquals(touched - 2, inc.writes().unchangedSectors());
        assertEquals(List.of(table.start(), third.start()), eraseAddresses(d, mark));
        List<Long> incWrites = writeAddresses(d, mark);
        assertTrue(incWrites.stream().allMatch(w -> (w >= third.start() && w < third.end()) || (w >= table.start() && w < table.end())),
                incWrites.toString());
        assertTrue(incWrites.get(0) >= third.start() && incWrites.get(incWrites.size() - 1) < table.end(),
                "the changed sector first, the vector table last: " + incWrites);
        Firmware.assertHolds(d, b);

        // the vector-table sector and a later one changed: the table's sector is erased first, written last
        FirmwareImage c = changed(changed(b, 16, 64, 6), (int) (third.start() - base) + 500, 64, 7);
        mark = d.trace().size();
        FlashResult inc2 = flash(d, c, FlashOptions.builder().incremental(true).build());
        assertEquals(2, inc2.writes().erased().size(), inc2.writes().erased().toString());
        List<Long> erases = eraseAddresses(d, mark);
        assertEquals(base & ~0xFFFL, erases.get(0) & ~0xFFFL, "vector-table sector erased first: " + erases);
        List<Long> writes = writeAddresses(d, mark);
        MemoryRange tableSector = inc2.writes().erased().stream().filter(r -> r.start() <= base && base < r.end()).findFirst().orElseThrow();
        int lastOther = -1;
        int firstTable = Integer.MAX_VALUE;
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i) >= tableSector.start() && writes.get(i) < tableSector.end()) {
                firstTable = Math.min(firstTable, i);
            } else {
                lastOther = i;
            }
        }
        assertTrue(lastOther >= 0 && lastOther < firstTable, "every other sector's blocks before the table's: " + writes);
        Firmware.assertHolds(d, c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "stm32h743", "mboot-pybd-sf2"})
    void aBootloaderThatMisaddressesBlocksIsCaughtAndRewrittenPerBlock(String id) throws Exception {
        // blocks land at pointer + (n - 2) * 2 * wTransferSize, and UPLOAD reads them back the same way,
        // so only the cross-check through a block's own SET_ADDRESS can see it
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withBlockStride(id.equals("stm32h743") ? 2048 : 4096));
        FirmwareImage image = Firmware.multiSector(d, 9);
        FlashResult r = flash(d, image, FlashOptions.defaults());
        assertTrue(r.verified());
        assertTrue(r.writes().addressingFallback(), "fell back to SET_ADDRESS per block");
        assertEquals(AddressingMode.SET_ADDRESS_PER_BLOCK, r.writes().addressing());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("SET_ADDRESS")), r.warnings().toString());
        Firmware.assertHolds(d, image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "stm32h743"})
    void everyBlockAtThePointerIsRefusedByTheFlashAndRewrittenPerBlock(String id) throws Exception {
        // stride 0: every block lands on the first; NOR flash refuses the second (errVERIFY on F4, errPROG on H7)
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withBlockStride(0));
        FirmwareImage image = Firmware.multiSector(d, 10);
        FlashResult r = flash(d, image, FlashOptions.defaults());
        assertTrue(r.writes().addressingFallback());
        Firmware.assertHolds(d, image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "mboot-pybd-sf2"})
    void withoutTheFallbackMisaddressingIsATypedError(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withBlockStride(4096));
        FirmwareImage image = Firmware.multiSector(d, 11);
        DfuException e = assertThrows(DfuException.class,
                () -> flash(d, image, FlashOptions.builder().addressing(AddressingMode.BLOCK_NUMBER).build()));
        // read-back sees other bytes, or a strict flash refuses to program over a misplaced block
        assertTrue(e instanceof VerifyException || (e.kind() == DfuException.Kind.DEVICE_STATUS && e.phase().orElseThrow() == Phase.WRITE),
                e.toString());
        assertFalse(Firmware.holds(d, image), "the memory really is wrong, and it was not reported as a success");
    }

    @org.junit.jupiter.api.Test
    void misaddressingThatReadsBackConsistentlyIsCaughtByTheCrossCheck() throws Exception {
        // one run inside one sector: every misplaced block lands in erased flash and reads back the same
        // misplaced way, so only re-reading the last block through its own SET_ADDRESS sees it
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withBlockStride(4096));
        FirmwareImage image = FirmwareImage.of(Segment.of(0x0800_4000L, Firmware.random(16 * 1024, 12)));
        VerifyException e = assertThrows(VerifyException.class,
                () -> flash(d, image, FlashOptions.builder().addressing(AddressingMode.BLOCK_NUMBER).build()));
        assertTrue(e.getMessage().contains("does not address blocks as pointer + (wBlockNum - 2) * wTransferSize"), e.getMessage());

        SimulatedDevice d2 = SimulatedDevices.create("stm32f405", SimOptions.defaults().withBlockStride(4096));
        FlashResult r = flash(d2, image, FlashOptions.defaults());
        assertTrue(r.writes().addressingFallback());
        Firmware.assertHolds(d2, image);
    }

    /**
     * Issue 9 item 3: the incremental comparison reads through the device's mis-addressed block numbers,
     * so a blank sector of the image reads back blank and is judged unchanged; the misplaced blocks of
     * the first pass then land in it, and the SET_ADDRESS fallback must not keep that judgement: the
     * result claims verified only when every byte of the image is on the chip.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "stm32f072"})
    void incrementalWithTheAddressingFallbackForgetsSectorsJudgedUnchangedThroughMisaddressedReads(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withBlockStride(4096));
        // F405: 16 KiB sectors, the second blank; F072: 2 KiB pages, the fifth blank, so the first run's
        // third block (block 4, at 0x08002000 with the stride) lands in it
        FirmwareImage image = id.equals("stm32f405") ? withBlankSector(d, 1, 3, 13) : withBlankSector(d, 4, 8, 13);
        FlashResult r = flash(d, image, FlashOptions.builder().incremental(true).build());
        assertTrue(r.verified(), "the fallback verified the image: " + r);
        Firmware.assertHolds(d, image);
        assertTrue(r.writes().addressingFallback(), r.toString());
        assertTrue(r.verification().verifiedBytes() >= image.segments().stream().mapToLong(Segment::length).sum(),
                "every byte of the image was read back in the final pass");
    }

    /** An application over {@code count} sectors from the flash base whose sector {@code blank} is all 0xFF. */
    static FirmwareImage withBlankSector(SimulatedDevice d, int blank, int count, long seed) {
        long base = Firmware.appBase(d);
        List<io.github.dfu4j.layout.Sector> sectors = Firmware.flashMap(d).sectors().stream()
                .filter(s -> s.start() >= base).toList();
        io.github.dfu4j.layout.Sector last = sectors.get(count - 1);
        int length = (int) (last.start() + last.size() - base);
        byte[] b = Firmware.application(base, Firmware.stackTop(Stm32Internals.chipOf(d)), length, Firmware.HANDLER, 0.0, seed);
        int from = (int) (sectors.get(blank).start() - base);
        java.util.Arrays.fill(b, from, from + (int) sectors.get(blank).size(), (byte) 0xFF);
        return FirmwareImage.of(Segment.of(base, b));
    }

    /**
     * The cross-check must not be fooled by repeated blocks: with a stride of two blocks, block 6 lands
     * where block 10 belongs; both are zero padding, so re-reading block 10 through its own SET_ADDRESS
     * finds the zeros it expects although the device misplaced every block.
     */
    @org.junit.jupiter.api.Test
    void misaddressingIsCaughtAlsoWhenTheCrossCheckedBlockRepeatsAnother() throws Exception {
        byte[] b = Firmware.random(9 * 256, 14);
        java.util.Arrays.fill(b, 4 * 256, 5 * 256, (byte) 0);
        java.util.Arrays.fill(b, 8 * 256, 9 * 256, (byte) 0);
        FirmwareImage image = FirmwareImage.of(Segment.of(0x0800_4000L, b));
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withTransferSize(256).withBlockStride(512));
        DfuException e = assertThrows(DfuException.class,
                () -> flash(d, image, FlashOptions.builder().addressing(AddressingMode.BLOCK_NUMBER).build()));
        assertTrue(e instanceof VerifyException || e.kind() == DfuException.Kind.DEVICE_STATUS, e.toString());

        SimulatedDevice d2 = SimulatedDevices.create("stm32f405", SimOptions.defaults().withTransferSize(256).withBlockStride(512));
        FlashResult r = flash(d2, image, FlashOptions.defaults());
        assertTrue(r.writes().addressingFallback(), r.toString());
        Firmware.assertHolds(d2, image);

        // NeverLieTest seed 4 case 19908: the last block is 8 bytes of the zero padding, and the misplaced
        // 2 KiB zero block before it covers its address; the cross-check must pick a block no piece of
        // another block can imitate
        byte[] padded = new byte[4104];
        System.arraycopy(Firmware.random(2048, 15), 0, padded, 0, 2048);
        FirmwareImage zeros = FirmwareImage.of(Segment.of(0x0800_0000L, padded));
        SimulatedDevice d3 = SimulatedDevices.create("stm32f746", SimOptions.defaults().withBlockStride(4096));
        DfuException e3 = assertThrows(DfuException.class,
                () -> flash(d3, zeros, FlashOptions.builder().addressing(AddressingMode.BLOCK_NUMBER).build()));
        assertTrue(e3 instanceof VerifyException || e3.kind() == DfuException.Kind.DEVICE_STATUS, e3.toString());
    }

    private static List<Long> setAddresses(SimulatedDevice d, int fromTrace) {
        List<TraceEntry> t = d.trace();
        return t.subList(fromTrace, t.size()).stream()
                .filter(e -> e.request().request() == DfuRequest.DNLOAD)
                .filter(e -> e.request().command().orElse(null) instanceof Command.SetAddress)
                .map(e -> ((Command.SetAddress) e.request().command().orElseThrow()).address()).toList();
    }

    private static long uploads(SimulatedDevice d, int fromTrace) {
        List<TraceEntry> t = d.trace();
        return t.subList(fromTrace, t.size()).stream().filter(e -> e.request().request() == DfuRequest.UPLOAD).count();
    }

    private static long uploadedBytes(SimulatedDevice d, int fromTrace) {
        List<TraceEntry> t = d.trace();
        return t.subList(fromTrace, t.size()).stream().filter(e -> e.request().request() == DfuRequest.UPLOAD)
                .mapToLong(TraceEntry::dataLength).sum();
    }

    /**
     * An unchanged re-flash: with SET_ADDRESS per block the comparison read every kept byte through its
     * own SET_ADDRESS and nothing was written after it, so that read is the final verification and each
     * byte is read once; with block-number addressing (the default) the comparison is only a judgement and
     * every kept byte is read a second time, block by block (ReadBack.keptSectorsProvenByComparison).
     * Either way the result counts every byte of the image as verified.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void anUnchangedPerBlockReflashReadsEachByteOnceAndStillVerifiesAll(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        FirmwareImage a = Firmware.multiSector(d, 3);
        long imageBytes = a.totalBytes();
        flash(d, a, FlashOptions.defaults());

        int mark = d.trace().size();
        FlashResult perBlock = flash(d, a, FlashOptions.builder().incremental(true).addressing(AddressingMode.SET_ADDRESS_PER_BLOCK).build());
        assertTrue(perBlock.verified());
        assertEquals(imageBytes, perBlock.verification().verifiedBytes());
        assertTrue(perBlock.writes().erased().isEmpty());
        long sectorBytes = uploadedBytes(d, mark);
        assertTrue(sectorBytes >= imageBytes, sectorBytes + " of " + imageBytes);
        // one UPLOAD after each SET_ADDRESS, and no address read twice
        List<Long> read = setAddresses(d, mark);
        assertEquals(read.size(), uploads(d, mark));
        assertEquals(read.size(), read.stream().distinct().count(), "addresses read twice: " + (read.size()
                - read.stream().distinct().count()) + " of " + read.size());

        mark = d.trace().size();
        FlashResult auto = flash(d, a, FlashOptions.builder().incremental(true).build());
        assertTrue(auto.verified());
        assertEquals(imageBytes, auto.verification().verifiedBytes());
        assertTrue(uploadedBytes(d, mark) >= sectorBytes + imageBytes,
                "block-number comparison, then every image byte again through its own SET_ADDRESS: " + uploadedBytes(d, mark));
        Firmware.assertHolds(d, a);
    }
}
