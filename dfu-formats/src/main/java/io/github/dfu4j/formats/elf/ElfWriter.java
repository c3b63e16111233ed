package io.github.dfu4j.formats.elf;

import static io.github.dfu4j.formats.elf.Elf32.EM_ARM;
import static io.github.dfu4j.formats.elf.Elf32.ET_EXEC;
import static io.github.dfu4j.formats.elf.Elf32.HEADER_SIZE;
import static io.github.dfu4j.formats.elf.Elf32.MAGIC;
import static io.github.dfu4j.formats.elf.Elf32.PROGRAM_HEADER_SIZE;
import static io.github.dfu4j.formats.elf.Elf32.PT_LOAD;
import static io.github.dfu4j.formats.elf.Elf32.SECTION_HEADER_SIZE;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;

import java.nio.charset.StandardCharsets;

/**
 * Writes the minimal ARM ELF32 executable that {@link Elf32#write} documents. Kept apart from the
 * reader in {@link Elf32}, with which it shares only the ELF32 header sizes and constants.
 */
final class ElfWriter {
    /** EF_ARM_EABI_VER5, what arm-none-eabi-gcc writes (plus float ABI bits we do not need). */
    private static final long EF_ARM_EABI_VER5 = 0x05000000L;

    private ElfWriter() {
    }

    /** See {@link Elf32#write}. */
    static byte[] write(FirmwareImage image) {
        int k = image.segments().size();
        StringBuilder names = new StringBuilder("\0");
        int[] nameOffsets = new int[k + 1];
        for (int i = 0; i < k; i++) {
            nameOffsets[i] = names.length();
            names.append(".seg").append(i).append('\0');
        }
        nameOffsets[k] = names.length();
        names.append(".shstrtab").append('\0');
        byte[] strtab = names.toString().getBytes(StandardCharsets.US_ASCII);
        long pos = HEADER_SIZE + (long) k * PROGRAM_HEADER_SIZE;
        long[] offsets = new long[k];
        for (int i = 0; i < k; i++) {
            offsets[i] = pos;
            pos += image.segments().get(i).length();
        }
        long strtabOffset = pos;
        pos += strtab.length;
        long shoff = (pos + 3) & ~3L;
        long total = shoff + (long) (k + 2) * SECTION_HEADER_SIZE;
        if (total > Integer.MAX_VALUE - 8 || k + 2 > 0xFF00) {
            throw new IllegalArgumentException("ELF file would be " + total + " bytes with " + k + " segments");
        }
        byte[] out = new byte[(int) total];
        System.arraycopy(MAGIC, 0, out, 0, 4);
        out[4] = 1; // ELFCLASS32
        out[5] = 1; // ELFDATA2LSB
        out[6] = 1; // EV_CURRENT
        put16(out, 16, ET_EXEC);
        put16(out, 18, EM_ARM);
        put32(out, 20, 1);
        put32(out, 24, image.entryPoint().orElse(0));
        put32(out, 28, k == 0 ? 0 : HEADER_SIZE);
        put32(out, 32, shoff);
        put32(out, 36, EF_ARM_EABI_VER5);
        put16(out, 40, HEADER_SIZE);
        put16(out, 42, PROGRAM_HEADER_SIZE);
        put16(out, 44, k);
        put16(out, 46, SECTION_HEADER_SIZE);
        put16(out, 48, k + 2);
        put16(out, 50, k + 1);
        for (int i = 0; i < k; i++) {
            Segment s = image.segments().get(i);
            int ph = HEADER_SIZE + i * PROGRAM_HEADER_SIZE;
            put32(out, ph, PT_LOAD);
            put32(out, ph + 4, offsets[i]);
            put32(out, ph + 8, s.address());
            put32(out, ph + 12, s.address());
            put32(out, ph + 16, s.length());
            put32(out, ph + 20, s.length());
            put32(out, ph + 24, 7); // PF_R | PF_W | PF_X
            put32(out, ph + 28, 1);
            s.copyTo(s.address(), out, (int) offsets[i], s.length());
            int sh = (int) shoff + (i + 1) * SECTION_HEADER_SIZE;
            put32(out, sh, nameOffsets[i]);
            put32(out, sh + 4, 1); // SHT_PROGBITS
            put32(out, sh + 8, 7); // SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR
            put32(out, sh + 12, s.address());
            put32(out, sh + 16, offsets[i]);
            put32(out, sh + 20, s.length());
            put32(out, sh + 32, 1);
        }
        System.arraycopy(strtab, 0, out, (int) strtabOffset, strtab.length);
        int sh = (int) shoff + (k + 1) * SECTION_HEADER_SIZE;
        put32(out, sh, nameOffsets[k]);
        put32(out, sh + 4, 3); // SHT_STRTAB
        put32(out, sh + 16, strtabOffset);
        put32(out, sh + 20, strtab.length);
        put32(out, sh + 32, 1);
        return out;
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    private static void put32(byte[] b, int i, long v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }
}
