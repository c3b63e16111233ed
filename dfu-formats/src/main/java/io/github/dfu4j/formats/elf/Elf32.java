package io.github.dfu4j.formats.elf;

import io.github.dfu4j.formats.internal.DataConflictException;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.ImageBuilder;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.internal.SegmentViews;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * ELF32 little-endian executables as firmware: what a linker produces for a Cortex-M (or RISC-V)
 * microcontroller.
 *
 * <pre>{@code
 * FirmwareImage image = Elf32.read("blinky.elf", Files.readAllBytes(path));
 * }</pre>
 *
 * <p>The image is built from the program headers, like a loader (or a debugger's "load") would:
 * every {@code PT_LOAD} entry contributes its {@code p_filesz} file bytes at its <em>physical</em>
 * address {@code p_paddr} (the LMA), so the initial values of {@code .data}, linked to run in RAM
 * but stored in flash, land in flash. Entries with {@code p_filesz == 0} ({@code .bss}, stacks) and
 * the {@code p_memsz - p_filesz} tail (NOBITS) contribute nothing. Touching entries coalesce.
 * When the file has section headers, only the parts of a load segment that lie in allocated sections
 * with file contents ({@code SHF_ALLOC}, not {@code SHT_NOBITS}) are taken, which is what
 * {@code objcopy -O binary/ihex/srec} outputs: a first {@code PT_LOAD} that starts at file offset 0
 * also maps the ELF and program headers, which are not firmware and must not be flashed. Without
 * section headers (stripped by {@code sstrip}, or {@code e_shnum} 0) whole segments are taken.
 * {@code e_entry} becomes the entry point (0 means none). RAM-resident load segments are kept: which
 * addresses are flashable is for the flash planner to decide.
 *
 * <p>Rejected, with the byte offset of the field: a file shorter than its headers, bad magic, ELF64,
 * big-endian, an ELF version other than 1, a type other than ET_EXEC (a relocatable object has no
 * addresses yet), a machine other than ARM or RISC-V, program or section headers or segment bytes
 * outside the file, {@code p_memsz < p_filesz}, a segment beyond 4 GiB, load segments claiming more bytes in
 * total than the file has (they cannot share file bytes in a linked file; this also bounds memory)
 * and overlapping load segments with different bytes. Every offset and size is checked against the file before it is used.
 * Stateless and thread-safe.
 */
public final class Elf32 {
    /** 0x7F 'E' 'L' 'F'. */
    public static final byte[] MAGIC = {0x7F, 'E', 'L', 'F'};
    /** e_machine values accepted, with their names. */
    public static final Map<Integer, String> MACHINES = Map.of(40, "ARM", 243, "RISC-V");
    /** EM_ARM, what {@link #write} puts in e_machine. */
    public static final int EM_ARM = 40;

    static final int HEADER_SIZE = 52;
    static final int PROGRAM_HEADER_SIZE = 32;
    static final int SECTION_HEADER_SIZE = 40;
    private static final int ET_REL = 1;
    static final int ET_EXEC = 2;
    static final int PT_LOAD = 1;
    private static final int SHT_NOBITS = 8;
    private static final long SHF_ALLOC = 0x2;
    private static final int PN_XNUM = 0xFFFF;

    private Elf32() {
    }

    /**
     * True when {@code content} starts with the ELF magic.
     *
     * @param content the file's bytes
     * @return {@code true} when the first four bytes are 7f 45 4c 46
     */
    public static boolean hasMagic(byte[] content) {
        return content.length >= 4 && content[0] == MAGIC[0] && content[1] == MAGIC[1]
                && content[2] == MAGIC[2] && content[3] == MAGIC[3];
    }

    /**
     * Reads the loadable contents of an ELF32 little-endian executable.
     *
     * @param source  the name messages give the file
     * @param content the whole file; not changed, and the image does not share it
     * @throws FirmwareFormatException naming {@code source} and the byte offset of the first problem
     * @return the loadable bytes at their physical addresses, with {@code e_entry} as entry point (0: none)
     */
    public static FirmwareImage read(String source, byte[] content) throws FirmwareFormatException {
        return read(source, content, false);
    }

    /**
     * Like {@link #read(String, byte[])}, but the image may share {@code content} instead of copying
     * the loaded bytes out of it (for a 64 MiB image: one buffer instead of two). The caller hands
     * {@code content} over: it must never change it afterwards.
     *
     * @param source  the name messages give the file
     * @param content the whole file, handed over to the image
     * @return the loadable bytes at their physical addresses, with {@code e_entry} as entry point (0: none)
     * @throws FirmwareFormatException naming {@code source} and the byte offset of the first problem
     */
    public static FirmwareImage readOwned(String source, byte[] content) throws FirmwareFormatException {
        return read(source, content, true);
    }

    private static FirmwareImage read(String source, byte[] content, boolean owned) throws FirmwareFormatException {
        long n = content.length;
        if (!hasMagic(content)) {
            throw FirmwareFormatException.atOffset(source, 0, "no ELF magic (7f 45 4c 46)");
        }
        if (n < HEADER_SIZE) {
            throw FirmwareFormatException.atOffset(source, 0, String.format(
                    "file of %d bytes is too short for the 52-byte ELF32 header", n));
        }
        int elfClass = content[4] & 0xFF;
        if (elfClass != 1) {
            throw FirmwareFormatException.atOffset(source, 4, elfClass == 2
                    ? "ELF64 is not supported; microcontroller firmware is ELF32"
                    : String.format("EI_CLASS %d is not ELF32 (1)", elfClass));
        }
        int encoding = content[5] & 0xFF;
        if (encoding != 1) {
            throw FirmwareFormatException.atOffset(source, 5, encoding == 2
                    ? "big-endian ELF is not supported" : String.format("EI_DATA %d is not little-endian (1)", encoding));
        }
        if (content[6] != 1) {
            throw FirmwareFormatException.atOffset(source, 6, String.format("EI_VERSION %d is not 1", content[6] & 0xFF));
        }
        int type = u16(content, 16);
        if (type != ET_EXEC) {
            throw FirmwareFormatException.atOffset(source, 16, type == ET_REL
                    ? "relocatable object (ET_REL) has no load addresses; link it first"
                    : String.format("e_type %d is not an executable (ET_EXEC = 2)", type));
        }
        int machine = u16(content, 18);
        if (!MACHINES.containsKey(machine)) {
            throw FirmwareFormatException.atOffset(source, 18, String.format(
                    "e_machine %d is not ARM (40) or RISC-V (243)", machine));
        }
        long version = u32(content, 20);
        if (version != 1) {
            throw FirmwareFormatException.atOffset(source, 20, String.format("e_version %d is not 1", version));
        }
        long entry = u32(content, 24);
        long phoff = u32(content, 28);
        int ehsize = u16(content, 40);
        int phentsize = u16(content, 42);
        int phnum = u16(content, 44);
        if (ehsize < HEADER_SIZE) {
            throw FirmwareFormatException.atOffset(source, 40, String.format("e_ehsize %d is less than 52", ehsize));
        }
        if (phnum == PN_XNUM) {
            throw FirmwareFormatException.atOffset(source, 44, "extended program header count (PN_XNUM) is not supported");
        }
        if (phnum > 0) {
            if (phentsize < PROGRAM_HEADER_SIZE) {
                throw FirmwareFormatException.atOffset(source, 42, String.format(
                        "e_phentsize %d is less than the 32 bytes of an ELF32 program header", phentsize));
            }
            long tableEnd = phoff + (long) phnum * phentsize;
            if (tableEnd > n) {
                throw FirmwareFormatException.atOffset(source, 28, String.format(
                        "program header table 0x%x + %d x %d bytes runs past the end of the %d-byte file",
                        phoff, phnum, phentsize, n));
            }
        }
        long[] loaded = allocatedFileRanges(source, content);
        List<long[]> parts = new ArrayList<>(); // {paddr, file offset, length, program header offset}
        long claimed = 0;
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (u32(content, ph) != PT_LOAD) {
                continue;
            }
            long offset = u32(content, ph + 4);
            long paddr = u32(content, ph + 12);
            long filesz = u32(content, ph + 16);
            long memsz = u32(content, ph + 20);
            if (filesz == 0) {
                continue;
            }
            if (memsz < filesz) {
                throw FirmwareFormatException.atOffset(source, ph + 20L, String.format(
                        "program header %d: p_memsz %d is less than p_filesz %d", i, memsz, filesz));
            }
            if (offset + filesz > n) {
                throw FirmwareFormatException.atOffset(source, ph + 4L, String.format(
                        "program header %d: bytes 0x%x + %d run past the end of the %d-byte file",
                        i, offset, filesz, n));
            }
            if (paddr + filesz > Segment.ADDRESS_SPACE_END) {
                throw FirmwareFormatException.atOffset(source, ph + 12L, String.format(
                        "program header %d: 0x%08x + %d runs past the 32-bit address space", i, paddr, filesz));
            }
            claimed += filesz;
            if (claimed > n) {
                // load segments of a linked file use disjoint file ranges; this bounds memory to the file size
                throw FirmwareFormatException.atOffset(source, ph + 16L, String.format(
                        "program header %d: load segments claim %d bytes, more than the %d-byte file holds",
                        i, claimed, n));
            }
            if (loaded == null) {
                parts.add(new long[] {paddr, offset, filesz, ph});
            } else {
                addSectionParts(parts, loaded, offset, filesz, paddr, ph);
            }
        }
        FirmwareImage image = owned ? viewsOf(parts, content) : null;
        if (image != null) {
            return entry != 0 ? image.withEntryPoint(entry) : image;
        }
        ImageBuilder builder = new ImageBuilder();
        for (long[] part : parts) {
            builder.put(part[0], content, (int) part[1], (int) part[2], part[3]);
        }
        try {
            image = builder.build();
        } catch (DataConflictException e) {
            long later = Math.max(e.firstOrigin(), e.secondOrigin());
            long earlier = Math.min(e.firstOrigin(), e.secondOrigin());
            boolean firstLater = e.firstOrigin() == later;
            throw FirmwareFormatException.atOffset(source, later, String.format(
                    "load segment data at 0x%08x (%s) conflicts with the program header at 0x%x (%s)",
                    e.address(), firstLater ? e.firstValue() : e.secondValue(), earlier,
                    firstLater ? e.secondValue() : e.firstValue()));
        }
        return entry != 0 ? image.withEntryPoint(entry) : image;
    }

    /**
     * The file ranges of the allocated sections with contents, merged into sorted disjoint
     * {@code [start, end)} pairs, or null when the file has no section header table. Merging first
     * keeps the image within the file size even when hostile section headers overlap, and lets each
     * load segment find its parts by binary search instead of scanning every section.
     */
    private static long[] allocatedFileRanges(String source, byte[] content) throws FirmwareFormatException {
        long n = content.length;
        long shoff = u32(content, 32);
        int shentsize = u16(content, 46);
        int shnum = u16(content, 48);
        if (shoff == 0 || shnum == 0) {
            // no table, or the extended count of a file with 65280+ sections: take whole segments
            return null;
        }
        if (shentsize < SECTION_HEADER_SIZE) {
            throw FirmwareFormatException.atOffset(source, 46, String.format(
                    "e_shentsize %d is less than the 40 bytes of an ELF32 section header", shentsize));
        }
        if (shoff + (long) shnum * shentsize > n) {
            throw FirmwareFormatException.atOffset(source, 32, String.format(
                    "section header table 0x%x + %d x %d bytes runs past the end of the %d-byte file",
                    shoff, shnum, shentsize, n));
        }
        long[] ranges = new long[2 * shnum];
        int count = 0;
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            long type = u32(content, sh + 4);
            long flags = u32(content, sh + 8);
            long offset = u32(content, sh + 16);
            long size = u32(content, sh + 20);
            if (type == SHT_NOBITS || (flags & SHF_ALLOC) == 0 || size == 0 || offset >= n) {
                continue;
            }
            // a section running past the file can only matter where it overlaps a segment, and segments are checked
            ranges[2 * count] = offset;
            ranges[2 * count + 1] = Math.min(offset + size, n);
            count++;
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> ranges[2 * i]));
        long[] merged = new long[2 * count];
        int m = 0;
        for (int k = 0; k < count; k++) {
            long start = ranges[2 * order[k]];
            long end = ranges[2 * order[k] + 1];
            if (m > 0 && start <= merged[2 * m - 1]) {
                merged[2 * m - 1] = Math.max(merged[2 * m - 1], end);
            } else {
                merged[2 * m] = start;
                merged[2 * m + 1] = end;
                m++;
            }
        }
        return Arrays.copyOf(merged, 2 * m);
    }

    /**
     * The image as views of {@code content} when that is what {@link ImageBuilder} would build anyway:
     * the parts, in address order, neither overlap nor touch, except where a part continues the
     * previous one in the file too (then both are one view). This is the common case (objcopy-style
     * images: one load segment per memory), and it saves copying every byte of a large image. Null
     * when the builder has to merge, check or report overlaps.
     */
    private static FirmwareImage viewsOf(List<long[]> parts, byte[] content) {
        List<long[]> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingLong(p -> p[0]));
        List<Segment> segments = new ArrayList<>();
        long start = -1;
        long fileStart = 0;
        long length = 0;
        for (long[] p : sorted) {
            if (start >= 0 && p[0] < start + length) {
                return null; // overlap
            }
            if (start >= 0 && p[0] == start + length) {
                if (p[1] != fileStart + length) {
                    return null; // touching in memory, apart in the file: the builder joins them by copying
                }
                length += p[2];
                continue;
            }
            if (start >= 0) {
                segments.add(SegmentViews.view(start, content, (int) fileStart, (int) length));
            }
            start = p[0];
            fileStart = p[1];
            length = p[2];
        }
        if (start >= 0) {
            segments.add(SegmentViews.view(start, content, (int) fileStart, (int) length));
        }
        return FirmwareImage.of(segments);
    }

    /** Adds the parts of the segment {@code [offset, offset + filesz)} that lie in {@code ranges}. */
    private static void addSectionParts(List<long[]> parts, long[] ranges, long offset, long filesz, long paddr, int ph) {
        long end = offset + filesz;
        // first range whose end is past the segment's start
        int lo = 0;
        int hi = ranges.length / 2;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ranges[2 * mid + 1] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int r = lo; r < ranges.length / 2 && ranges[2 * r] < end; r++) {
            long from = Math.max(offset, ranges[2 * r]);
            long to = Math.min(end, ranges[2 * r + 1]);
            if (to > from) {
                parts.add(new long[] {paddr + (from - offset), from, to - from, ph});
            }
        }
    }

    /**
     * Writes {@code image} as a minimal ARM ELF32 executable: one PT_LOAD program header and one
     * allocated PROGBITS section ({@code .seg0}, {@code .seg1}, ...) per segment, with virtual and
     * physical address equal, plus {@code .shstrtab}; {@code e_entry} is the entry point or 0. Both
     * loaders (program headers) and objcopy (sections) see the same bytes. DfuSe targets and the
     * suffix are not stored.
     *
     * @param image the image; every segment must lie below 4 GiB, as every segment does
     * @return the ELF file
     * @throws IllegalArgumentException when the file would exceed 2 GiB or 65279 sections
     */
    public static byte[] write(FirmwareImage image) {
        return ElfWriter.write(image);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }
}
