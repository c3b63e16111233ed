package io.github.dfu4j.integration;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.SpiFlash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Generated firmware images for the simulated personalities, and memory checks. */
final class Firmware {
    private Firmware() {
    }

    static final int BLOCK = 2048;

    /** The repository's example firmware, if the checkout has it (tests run in dfu-stm32/). */
    static Optional<Path> example(String name) {
        Path p = Path.of("..", "examples", "firmware", name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** The flash map the device runs with (its SimOptions flash mode, else the default). */
    static FlashMap flashMap(SimulatedDevice d) {
        String mode = d.options().flashMode();
        return mode.isEmpty() ? Stm32Internals.chipOf(d).defaultFlashMap() : Stm32Internals.chipOf(d).flashMap(mode).orElseThrow();
    }

    /** Where the application's vector table goes: the flash base, or mboot's application base. */
    static long appBase(SimulatedDevice d) {
        return Stm32Internals.mbootBoardOf(d).map(MbootBoard::appBase).orElse(flashMap(d).base());
    }

    /** An initial stack pointer the simulator accepts: the top of the chip's first RAM block. */
    static long stackTop(ChipProfile c) {
        return c.ram().get(0).end();
    }

    /**
     * {@code length} bytes of an application at {@code base}: a vector table (SP, reset vector
     * {@code base + handlerOffset | 1}), random bytes, and about {@code blankFraction} of the 2 KiB
     * blocks all 0xFF (never the first block or the handler's).
     */
    static byte[] application(long base, long sp, int length, int handlerOffset, double blankFraction, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) rnd.nextInt(0, 255); // never 0xFF, so only the chosen blocks are blank
        }
        int handlerBlock = handlerOffset / BLOCK;
        for (int blk = 1; blk * BLOCK < length; blk++) {
            if (blk != handlerBlock && rnd.nextDouble() < blankFraction) {
                Arrays.fill(b, blk * BLOCK, Math.min(length, (blk + 1) * BLOCK), (byte) 0xFF);
            }
        }
        ByteBuffer v = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        v.putInt(0, (int) sp);
        v.putInt(4, (int) ((base + handlerOffset) | 1));
        return b;
    }

    /** The reset vector {@link #application} writes. */
    static long resetVector(long base, int handlerOffset) {
        return (base + handlerOffset) | 1;
    }

    static final int HANDLER = 0x1C4;

    /**
     * A multi-sector image for a personality: the application at its base running across a
     * sector-size boundary (or 2 1/3 sectors where all sectors are equal), a segment across the bank
     * boundary on dual-bank maps, and a segment across page boundaries of the QSPI zone on mboot.
     */
    static FirmwareImage multiSector(SimulatedDevice d, long seed) {
        List<Segment> segments = new ArrayList<>();
        long base = appBase(d);
        FlashMap map = flashMap(d);
        List<Sector> sectors = map.sectors().stream().filter(s -> s.start() >= base).toList();
        int first = (int) sectors.get(0).size();
        long end = sectors.get(0).start() + 2L * first + first / 3;
        for (Sector s : sectors) {
            if (s.size() != first) {
                end = s.start() + s.size() / 3;
                break;
            }
        }
        segments.add(Segment.of(base, application(base, stackTop(Stm32Internals.chipOf(d)), (int) (end - base), HANDLER, 0.3, seed)));
        Optional<Long> bank2 = map.bankBase(2);
        if (bank2.isPresent() && Stm32Internals.mbootBoardOf(d).isEmpty()) {
            long from = bank2.get() - 4096;
            segments.add(Segment.of(from, random(8192 + 100, seed + 1)));
        }
        Stm32Internals.mbootBoardOf(d).ifPresent(b -> {
            SpiFlash qspi = b.spiFlash().get(b.spiFlash().size() - 1);
            segments.add(Segment.of(qspi.address(), random(qspi.layoutPageSize() + 5000, seed + 2)));
        });
        return FirmwareImage.of(segments);
    }

    static byte[] random(int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) rnd.nextInt(0, 255);
        }
        return b;
    }

    /** Every byte of the image is in the simulator's memory. */
    static void assertHolds(SimulatedDevice d, FirmwareImage image) {
        for (Segment s : image.segments()) {
            assertArrayEquals(s.bytes(), d.readMemory(s.address(), s.length()),
                    String.format("%s: memory at 0x%08x+%d differs from the image", d.id(), s.address(), s.length()));
        }
    }

    /** True when every byte of the image is in the simulator's memory. */
    static boolean holds(SimulatedDevice d, FirmwareImage image) {
        for (Segment s : image.segments()) {
            if (!Arrays.equals(s.bytes(), d.readMemory(s.address(), s.length()))) {
                return false;
            }
        }
        return true;
    }
}
