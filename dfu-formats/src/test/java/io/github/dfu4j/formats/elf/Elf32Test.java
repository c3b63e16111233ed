package io.github.dfu4j.formats.elf;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.LittleEndianWriter;
import io.github.dfu4j.formats.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Elf32Test {
    private static final byte[] TEXT = bytes(0x00, 0x10, 0x00, 0x20, 0x09, 0x00, 0x00, 0x08);
    private static final byte[] DATA = bytes(0x44, 0x33, 0x22, 0x11);

    record Ph(long type, long offset, long vaddr, long paddr, long filesz, long memsz) {
    }

    static LittleEndianWriter header(int type, int machine, long entry, int phnum) {
        LittleEndianWriter w = new LittleEndianWriter();
        w.u8s(0x7F, 'E', 'L', 'F').u8(1).u8(1).u8(1).zeros(9);
        w.u16(type).u16(machine).u32(1).u32(entry).u32(52).u32(0).u32(0x05000200).u16(52).u16(32).u16(phnum).u16(40).u16(0).u16(0);
        return w;
    }

    static byte[] elf(long entry, Ph... phs) {
        LittleEndianWriter w = header(2, 40, entry, phs.length);
        for (Ph p : phs) {
            w.u32(p.type).u32(p.offset).u32(p.vaddr).u32(p.paddr).u32(p.filesz).u32(p.memsz).u32(5).u32(4);
        }
        return w.toByteArray();
    }

    /** .text at 0x08000000, .data linked at 0x20000000 but loaded right after .text, .bss, an ARM.exidx entry. */
    static byte[] blinky() {
        int dataStart = 52 + 4 * 32;
        byte[] headers = elf(0x08000005L,
                new Ph(1, dataStart, 0x08000000L, 0x08000000L, TEXT.length, TEXT.length),
                new Ph(1, dataStart + TEXT.length, 0x20000000L, 0x08000008L, DATA.length, DATA.length),
                new Ph(1, dataStart + TEXT.length + DATA.length, 0x20000004L, 0x2000000CL, 0, 64),
                new Ph(0x70000001L, dataStart, 0x08000000L, 0x08000000L, 4, 4));
        return new LittleEndianWriter().bytes(headers).bytes(TEXT).bytes(DATA).toByteArray();
    }

    @Test
    void dataInitialisersLandAtTheirLoadAddressNotTheirRunAddress() throws Exception {
        FirmwareImage image = Elf32.read("blinky.elf", blinky());
        assertEquals(List.of(Segment.of(0x08000000L, bytes(0x00, 0x10, 0x00, 0x20, 0x09, 0x00, 0x00, 0x08,
                0x44, 0x33, 0x22, 0x11))), image.segments());
        assertEquals(0x08000005L, image.entryPoint().getAsLong());
    }

    @Test
    void memszBeyondFileszContributesNothing() throws Exception {
        int start = 52 + 32;
        byte[] file = new LittleEndianWriter().bytes(elf(0, new Ph(1, start, 0x20000000L, 0x08000000L, 4, 4096)))
                .bytes(DATA).toByteArray();
        FirmwareImage image = Elf32.read("m.elf", file);
        assertEquals(List.of(Segment.of(0x08000000L, DATA)), image.segments());
        assertTrue(image.entryPoint().isEmpty(), "e_entry 0 means none");
    }

    @Test
    void writtenElfReadsBackAndIsStable() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, TEXT), Segment.of(0x90000000L, DATA))
                .withEntryPoint(0x08000195L);
        byte[] written = Elf32.write(image);
        assertEquals(image, Elf32.read("w.elf", written));
        assertArrayEquals(written, Elf32.write(Elf32.read("w.elf", written)));
    }

    @Test
    void rejectsBadHeadersAtTheirOffsets() {
        byte[] good = blinky();
        assertMessage("x@0x00000000: no ELF magic (7f 45 4c 46)", patch(good, 1, 'e'));
        assertMessage("x@0x00000004: ELF64 is not supported; microcontroller firmware is ELF32", patch(good, 4, 2));
        assertMessage("x@0x00000005: big-endian ELF is not supported", patch(good, 5, 2));
        assertMessage("x@0x00000010: relocatable object (ET_REL) has no load addresses; link it first", patch(good, 16, 1));
        assertMessage("x@0x00000012: e_machine 62 is not ARM (40) or RISC-V (243)", patch(good, 18, 62));
        assertMessage("x@0x00000000: file of 20 bytes is too short for the 52-byte ELF32 header",
                java.util.Arrays.copyOf(good, 20));
        assertMessage("x@0x0000002a: e_phentsize 16 is less than the 32 bytes of an ELF32 program header", patch(good, 42, 16));
    }

    @Test
    void programHeaderTableMustFitTheFile() {
        byte[] file = header(2, 40, 0, 2000).toByteArray();
        assertMessage("x@0x0000001c: program header table 0x34 + 2000 x 32 bytes runs past the end of the 52-byte file", file);
    }

    @Test
    void hugeFileszFailsBeforeAnyAllocation() {
        byte[] file = elf(0, new Ph(1, 84, 0x08000000L, 0x08000000L, 0xFFFFFFF0L, 0xFFFFFFF0L));
        assertMessage("x@0x00000038: program header 0: bytes 0x54 + 4294967280 run past the end of the 84-byte file", file);
    }

    @Test
    void loadSegmentsCannotClaimMoreThanTheFile() {
        Ph[] many = new Ph[20];
        for (int i = 0; i < many.length; i++) {
            many[i] = new Ph(1, 0, 0x1000L * i, 0x1000L * i, 600, 600);
        }
        byte[] file = elf(0, many);
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> Elf32.read("x", file));
        assertTrue(e.getMessage().contains("load segments claim 1200 bytes, more than the 692-byte file holds"), e.getMessage());
    }

    @Test
    void memszBelowFileszAndAddressOverflowAreRejected() {
        assertMessage("x@0x00000048: program header 0: p_memsz 2 is less than p_filesz 4",
                new LittleEndianWriter().bytes(elf(0, new Ph(1, 84, 0, 0x08000000L, 4, 2))).bytes(DATA).toByteArray());
        assertMessage("x@0x00000040: program header 0: 0xfffffffe + 4 runs past the 32-bit address space",
                new LittleEndianWriter().bytes(elf(0, new Ph(1, 84, 0, 0xFFFFFFFEL, 4, 4))).bytes(DATA).toByteArray());
    }

    @Test
    void overlappingLoadSegmentsWithDifferentBytesAreRejected() {
        byte[] file = new LittleEndianWriter().bytes(elf(0,
                new Ph(1, 116, 0x100, 0x100, 4, 4), new Ph(1, 120, 0x102, 0x102, 4, 4)))
                .u8s(1, 2, 3, 4).u8s(9, 9, 9, 9).toByteArray();
        assertMessage("x@0x00000054: load segment data at 0x00000102 (0x09) conflicts with the program header at 0x34 (0x03)", file);
    }

    record Sh(long type, long flags, long addr, long offset, long size) {
    }

    /** {@code file} with a section header table appended (a NULL entry first, as linkers write). */
    static byte[] withSections(byte[] file, Sh... sections) {
        LittleEndianWriter w = new LittleEndianWriter().bytes(file).zeros(40);
        for (Sh sh : sections) {
            w.u32(0).u32(sh.type).u32(sh.flags).u32(sh.addr).u32(sh.offset).u32(sh.size).u32(0).u32(0).u32(4).u32(0);
        }
        byte[] out = w.toByteArray();
        LittleEndianWriter.put32(out, 32, file.length);
        out[46] = 40;
        out[48] = (byte) (sections.length + 1);
        out[49] = (byte) ((sections.length + 1) >>> 8);
        return out;
    }

    /** A load segment from file offset 0, so it maps the ELF header and program header before .text. */
    static byte[] headersInLoadSegment() {
        return new LittleEndianWriter().bytes(elf(0x08000059L,
                new Ph(1, 0, 0x08000000L, 0x08000000L, 84 + TEXT.length, 84 + TEXT.length))).bytes(TEXT).toByteArray();
    }

    @Test
    void withoutSectionHeadersAWholeLoadSegmentIsTaken() throws Exception {
        FirmwareImage image = Elf32.read("x", headersInLoadSegment());
        assertEquals(0x08000000L, image.lowestAddress().getAsLong(), "sstrip-ed file: the program headers are all there is");
        assertEquals(84 + TEXT.length, image.totalBytes());
    }

    @Test
    void headersInALoadSegmentAreNotFirmwareWhenSectionsSayWhereTheCodeIs() throws Exception {
        // what `objcopy -O binary` does too (examples/firmware/headers-in-load.elf checks it against the tool)
        byte[] file = withSections(headersInLoadSegment(),
                new Sh(1, 0x6, 0x08000054L, 84, TEXT.length),      // .text, PROGBITS, ALLOC|EXEC
                new Sh(8, 0x3, 0x20000000L, 0, 64),                 // .bss, NOBITS: no file bytes even at offset 0
                new Sh(3, 0, 0, 0, 52));                            // not allocated (e.g. .shstrtab) at offset 0
        FirmwareImage image = Elf32.read("x", file);
        assertEquals(List.of(Segment.of(0x08000054L, TEXT)), image.segments());
        assertEquals(0x08000059L, image.entryPoint().getAsLong());
    }

    @Test
    void sectionPartsKeepTheirLoadAddressAndOverlappingSectionsCountOnce() throws Exception {
        int dataStart = 52 + 4 * 32;
        Sh[] sections = new Sh[300];
        for (int i = 0; i < sections.length; i++) {
            // hostile: the same allocated range many times must not multiply the image
            sections[i] = new Sh(1, 0x2, 0x08000000L, dataStart, TEXT.length + DATA.length);
        }
        FirmwareImage image = Elf32.read("x", withSections(blinky(), sections));
        assertEquals(Elf32.read("x", blinky()), image, ".data's part of the sections lands at its LMA, as before");
    }

    @Test
    void sectionHeaderTableMustFitTheFile() {
        byte[] file = withSections(blinky(), new Sh(1, 0x2, 0x08000000L, 180, 8));
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 1);
        assertMessage("x@0x00000020: section header table 0xc0 + 2 x 40 bytes runs past the end of the 271-byte file", cut);
        assertMessage("x@0x0000002e: e_shentsize 20 is less than the 40 bytes of an ELF32 section header", patch(file, 46, 20));
    }

    private static byte[] patch(byte[] b, int at, int value) {
        byte[] copy = b.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static void assertMessage(String message, byte[] file) {
        assertEquals(message, assertThrows(FirmwareFormatException.class, () -> Elf32.read("x", file)).getMessage());
    }
}
