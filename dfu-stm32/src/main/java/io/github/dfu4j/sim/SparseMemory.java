package io.github.dfu4j.sim;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Byte storage for one memory region, allocated in 1 KB pages on first write so that a 2 MB flash
 * that holds a 20 KB image costs 20 KB. A missing page reads as the erased value 0xFF.
 *
 * <p>A region larger than {@link #HEAP_LIMIT} (a 64 MiB QSPI flash) keeps its pages outside the Java
 * heap, in direct buffers of {@link #SLAB} bytes allocated on first write: the simulated chip's memory
 * is the device's, not the host's, and a host that flashes a 64 MiB image should not need a second
 * 64 MiB of heap for the simulated copy of it. (Direct memory is limited by -XX:MaxDirectMemorySize,
 * which defaults to the heap limit.)
 */
final class SparseMemory {
    static final int PAGE = 1024;
    static final byte ERASED = (byte) 0xFF;
    /** Regions up to this size keep their pages on the heap. */
    static final long HEAP_LIMIT = 16L << 20;
    /** Bytes per off-heap buffer: 1024 pages. */
    static final int SLAB = 1 << 20;
    private static final int PAGES_PER_SLAB = SLAB / PAGE;

    private final long size;
    private final byte[][] pages; // heap regions: one array per page in use
    private final ByteBuffer[] slabs; // large regions: one direct buffer per 1024 pages, of which `present` are in use
    private final boolean[] present;

    SparseMemory(long size) {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region size out of range: " + size);
        }
        this.size = size;
        int count = (int) ((size + PAGE - 1) / PAGE);
        if (size > HEAP_LIMIT) {
            this.pages = null;
            this.slabs = new ByteBuffer[(count + PAGES_PER_SLAB - 1) / PAGES_PER_SLAB];
            this.present = new boolean[count];
        } else {
            this.pages = new byte[count][];
            this.slabs = null;
            this.present = null;
        }
    }

    long size() {
        return size;
    }

    private void check(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException(offset + "+" + length + " outside " + size);
        }
    }

    private boolean has(int page) {
        return pages != null ? pages[page] != null : present[page];
    }

    /** The page's buffer and the index of its first byte in it (off-heap only). */
    private ByteBuffer slab(int page) {
        return slabs[page / PAGES_PER_SLAB];
    }

    private static int base(int page) {
        return (page % PAGES_PER_SLAB) * PAGE;
    }

    private void allocate(int page) {
        if (pages != null) {
            byte[] p = new byte[PAGE];
            Arrays.fill(p, ERASED);
            pages[page] = p;
            return;
        }
        int s = page / PAGES_PER_SLAB;
        if (slabs[s] == null) {
            slabs[s] = ByteBuffer.allocateDirect(SLAB);
        }
        byte[] erased = new byte[PAGE];
        Arrays.fill(erased, ERASED);
        slabs[s].put(base(page), erased);
        present[page] = true;
    }

    private void free(int page) {
        if (pages != null) {
            pages[page] = null;
        } else {
            present[page] = false; // the slab stays: other pages may live in it
        }
    }

    void read(long offset, byte[] dst, int dstOffset, int length) {
        check(offset, length);
        while (length > 0) {
            int page = (int) (offset / PAGE);
            int in = (int) (offset % PAGE);
            int n = Math.min(length, PAGE - in);
            if (!has(page)) {
                Arrays.fill(dst, dstOffset, dstOffset + n, ERASED);
            } else if (pages != null) {
                System.arraycopy(pages[page], in, dst, dstOffset, n);
            } else {
                slab(page).get(base(page) + in, dst, dstOffset, n);
            }
            offset += n;
            dstOffset += n;
            length -= n;
        }
    }

    byte[] read(long offset, int length) {
        byte[] out = new byte[length];
        read(offset, out, 0, length);
        return out;
    }

    void write(long offset, byte[] src, int srcOffset, int length) {
        check(offset, length);
        while (length > 0) {
            int page = (int) (offset / PAGE);
            int in = (int) (offset % PAGE);
            int n = Math.min(length, PAGE - in);
            if (!has(page)) {
                allocate(page);
            }
            if (pages != null) {
                System.arraycopy(src, srcOffset, pages[page], in, n);
            } else {
                slab(page).put(base(page) + in, src, srcOffset, n);
            }
            offset += n;
            srcOffset += n;
            length -= n;
        }
    }

    /** Sets [offset, offset+length) to 0xFF, freeing whole pages. */
    void erase(long offset, long length) {
        check(offset, length);
        byte[] erased = null;
        while (length > 0) {
            int page = (int) (offset / PAGE);
            int in = (int) (offset % PAGE);
            int n = (int) Math.min(length, PAGE - in);
            if (has(page)) {
                if (n == PAGE) {
                    free(page);
                } else if (pages != null) {
                    Arrays.fill(pages[page], in, in + n, ERASED);
                } else {
                    if (erased == null) {
                        erased = new byte[PAGE];
                        Arrays.fill(erased, ERASED);
                    }
                    slab(page).put(base(page) + in, erased, 0, n);
                }
            }
            offset += n;
            length -= n;
        }
    }

    boolean isErased(long offset, long length) {
        check(offset, length);
        while (length > 0) {
            int page = (int) (offset / PAGE);
            int in = (int) (offset % PAGE);
            int n = (int) Math.min(length, PAGE - in);
            if (has(page) && !erased(page, in, n)) {
                return false;
            }
            offset += n;
            length -= n;
        }
        return true;
    }

    private boolean erased(int page, int from, int n) {
        if (pages != null) {
            byte[] p = pages[page];
            for (int i = from; i < from + n; i++) {
                if (p[i] != ERASED) {
                    return false;
                }
            }
            return true;
        }
        ByteBuffer s = slab(page);
        int b = base(page);
        for (int i = from; i < from + n; i++) {
            if (s.get(b + i) != ERASED) {
                return false;
            }
        }
        return true;
    }

    /** True when page {@code index} holds at least one non-erased byte. */
    boolean pageInUse(int index) {
        return has(index) && !erased(index, 0, PAGE);
    }

    int pageCount() {
        return pages != null ? pages.length : present.length;
    }
}
