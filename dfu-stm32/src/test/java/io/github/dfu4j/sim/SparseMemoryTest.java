package io.github.dfu4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A memory over {@link SparseMemory#HEAP_LIMIT} keeps its pages off the heap; it must behave exactly
 * like the on-heap one: the same random writes, erases and reads (spanning pages and 1 MiB buffers)
 * give the same bytes, erased checks and pages in use. Seeded: {@code -Ddfu4j.seed=N} replays.
 */
class SparseMemoryTest {
    static long seed;

    @BeforeAll
    static void pickSeed() {
        seed = Long.getLong("dfu4j.seed", new SplittableRandom().nextLong());
        System.out.println("SparseMemoryTest seed " + seed + " (-Ddfu4j.seed=" + seed + " replays)");
    }

    static Stream<Long> cases() {
        return LongStream.range(0, 20).boxed();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void offHeapPagesBehaveLikeHeapPages(long index) {
        SplittableRandom random = new SplittableRandom(seed + index * 0x9E3779B97F4A7C15L);
        long span = SparseMemory.HEAP_LIMIT; // compared range; the off-heap memory is larger
        SparseMemory heap = new SparseMemory(span);
        SparseMemory offHeap = new SparseMemory(span + SparseMemory.SLAB);
        for (int op = 0; op < 300; op++) {
            long at = random.nextLong(span);
            int length = (int) Math.min(span - at, random.nextInt(3 * SparseMemory.PAGE));
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    heap.write(at, data, 0, length);
                    offHeap.write(at, data, 0, length);
                }
                case 2 -> {
                    heap.erase(at, length);
                    offHeap.erase(at, length);
                }
                default -> {
                    assertArrayEquals(heap.read(at, length), offHeap.read(at, length), "read at " + at + ", seed " + seed);
                    assertEquals(heap.isErased(at, length), offHeap.isErased(at, length), "erased at " + at);
                }
            }
        }
        for (int p = 0; p < heap.pageCount(); p++) {
            assertEquals(heap.pageInUse(p), offHeap.pageInUse(p), "page " + p + ", seed " + seed);
        }
        assertEquals(heap.pageCount() + SparseMemory.SLAB / SparseMemory.PAGE, offHeap.pageCount());
    }
}
