package io.github.dfu4j.bench.flash;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.SpiFlash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark image: 1 MiB of firmware in which a seeded 30% of the 2 KiB blocks are all 0xFF (what
 * linkers leave between sections and what padded images carry), a vector table at the application
 * base. On the ROMs it starts at 0x08000000; on mboot (PYBD-SF2: 480 KiB of application flash) it
 * fills the internal application area and continues in the memory-mapped QSPI flash at 0x90000000,
 * the way MicroPython's firmware.dfu is split.
 */
final class BenchImage {
    private BenchImage() {
    }

    static final int SIZE = 1 << 20;
    static final int BLOCK = 2048;
    static final double BLANK_FRACTION = 0.3;

    static FirmwareImage forDevice(SimulatedDevice d, long seed) {
        byte[] all = content(SIZE, seed);
        long base = Stm32Internals.mbootBoardOf(d).map(MbootBoard::appBase).orElse(Stm32Internals.chipOf(d).defaultFlashMap().base());
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) Stm32Internals.chipOf(d).ram().get(0).end())
                .putInt(4, (int) (base + 0x1C5));
        List<Segment> segments = new ArrayList<>();
        if (Stm32Internals.mbootBoardOf(d).isPresent()) {
            MbootBoard b = Stm32Internals.mbootBoardOf(d).get();
            int internal = (int) (b.internalFlashEnd() - b.appBase());
            SpiFlash qspi = b.spiFlash().get(b.spiFlash().size() - 1);
            segments.add(Segment.of(base, Arrays.copyOfRange(all, 0, internal)));
            segments.add(Segment.of(qspi.address(), Arrays.copyOfRange(all, internal, SIZE)));
        } else {
            segments.add(Segment.of(base, all));
        }
        return FirmwareImage.of(segments);
    }

    /** Random non-0xFF bytes with {@link #BLANK_FRACTION} of the 2 KiB blocks blank (never the first). */
    static byte[] content(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(0, 255);
        }
        for (int blk = 1; blk * BLOCK < size; blk++) {
            if (r.nextDouble() < BLANK_FRACTION) {
                Arrays.fill(b, blk * BLOCK, Math.min(size, (blk + 1) * BLOCK), (byte) 0xFF);
            }
        }
        return b;
    }

    static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }
}
