package io.github.dfu4j.usbvm;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.dfuse.DfuseFile;
import io.github.dfu4j.formats.dfuse.DfuseWriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes the firmware images the real-USB tier flashes, on the host before the VM boots (plain
 * binaries for dfu-util, the same bytes as DfuSe files for dfu4j):
 * <ul>
 * <li>{@code small.bin/.dfu}: 96 KiB of seeded random data behind a plausible Cortex-M vector table
 *     (so a leave starts the "application"): four 16 KiB sectors and part of the 64 KiB one.</li>
 * <li>{@code bench.bin/.dfu}: 1 MiB, the whole STM32F405 flash, in 2 KiB blocks of which 30% are
 *     blank (0xFF): the benchmark image.</li>
 * </ul>
 * Usage: {@code java -cp usbvm-bridge.jar io.github.dfu4j.usbvm.TierImages OUTDIR [SEED]}.
 */
public final class TierImages {
    static final long FLASH_BASE = 0x0800_0000L;
    static final int BLOCK = 2048;
    static final int SMALL_SIZE = 96 * 1024;
    static final int BENCH_SIZE = 1024 * 1024;
    static final double BLANK_SHARE = 0.30;

    private TierImages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TierImages OUTDIR [SEED]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 5;
        write(dir, "small", small(seed));
        byte[] bench = bench(seed);
        write(dir, "bench", bench);
        long blank = 0;
        for (int b = 0; b < bench.length / BLOCK; b++) {
            blank += isBlank(bench, b * BLOCK, BLOCK) ? 1 : 0;
        }
        System.out.printf("tier images in %s (seed %d): small %d bytes, bench %d bytes with %d of %d blocks blank%n",
                dir, seed, SMALL_SIZE, bench.length, blank, bench.length / BLOCK);
    }

    static byte[] small(long seed) {
        byte[] data = new byte[SMALL_SIZE];
        new SplittableRandom(seed).nextBytes(data);
        putVectorTable(data);
        return data;
    }

    static byte[] bench(long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int blocks = BENCH_SIZE / BLOCK;
        // Exactly 30% of the blocks blank, chosen by a seeded shuffle; block 0 keeps the vector table.
        int[] order = new int[blocks - 1];
        for (int i = 0; i < order.length; i++) {
            order[i] = i + 1;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] blank = new boolean[blocks];
        for (int i = 0; i < Math.round(blocks * BLANK_SHARE); i++) {
            blank[order[i]] = true;
        }
        byte[] data = new byte[BENCH_SIZE];
        random.nextBytes(data);
        for (int b = 0; b < blocks; b++) {
            if (blank[b]) {
                Arrays.fill(data, b * BLOCK, (b + 1) * BLOCK, (byte) 0xFF);
            }
        }
        putVectorTable(data);
        return data;
    }

    /** Initial SP in SRAM and a Thumb reset handler inside the image: what a bootloader checks before jumping. */
    private static void putVectorTable(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x2002_0000);
        b.putInt(4, (int) (FLASH_BASE + 0x199));
    }

    static boolean isBlank(byte[] data, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (data[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static void write(Path dir, String name, byte[] data) throws IOException {
        Files.write(dir.resolve(name + ".bin"), data);
        FirmwareImage image = FirmwareImage.of(Segment.of(FLASH_BASE, data));
        Files.write(dir.resolve(name + ".dfu"), DfuseFile.write(image, DfuseWriteOptions.defaults()));
    }
}
