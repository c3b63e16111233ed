package io.github.dfu4j.sim;

import java.util.Arrays;

/**
 * Byte storage for one memory region, allocated in 1 KB pages on first write so that a 2 MB flash
 * that holds a 20 KB image costs 20 KB. A missing page reads as the erased value 0xFF.
 */
final class SparseMemory {
    static final int PAGE = 1024;
    static final byte ERASED = (byte) 0xFF;

    private final long size;
    private final byte[][] pages;

    SparseMemory(long size) {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region size out of range: " + size);
        }
        this.size = size;
        this.pages = new byte[(int) ((size + PAGE - 1) / PAGE)][];
    }

    long size() {
        return size;
    }

    private void check(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException(offset + "+" + length + " outside " + size);
        }
    }

    void read(long offset, byte[] dst, int dstOffset, int length) {
        check(offset, length);
        while (length > 0) {
            int page = (int) (offset / PAGE);
            int in = (int) (offset % PAGE);
            int n = Math.min(length, PAGE - in);
            byte[] p = pages[page];
            if (p == null) {
                Arrays.fill(dst, dstOffset, dstOffset + n, ERASED);
            } else {
                System.arraycopy(p, in, dst, dstOffset, n);
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
            byte[] p = pages[page];
            if (p == null) {
                p = new byte[PAGE];
                Arrays.fill(p, ERASED);
                pages[page] = p;
            }
            System.arraycopy(src, srcOffset, p, in, n);
            offset += n;
            srcOffset += n;
            length -= n;
        }
    }

    /** Sets [offset, offset+length) to 0xFF, freeing whole pages. */
    void erase(long offset, long length) {
        check(offset, length);
        while (length > 0) {
            int page = (int) (offset / PAGE);
            int in = (int) (offset % PAGE);
            int n = (int) Math.min(length, PAGE - in);
            if (pages[page] != null) {
                if (n == PAGE) {
                    pages[page] = null;
                } else {
                    Arrays.fill(pages[page], in, in + n, ERASED);
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
            byte[] p = pages[page];
            if (p != null) {
                for (int i = in; i < in + n; i++) {
                    if (p[i] != ERASED) {
                        return false;
                    }
                }
            }
            offset += n;
            length -= n;
        }
        return true;
    }

    /** True when page {@code index} holds at least one non-erased byte. */
    boolean pageInUse(int index) {
        byte[] p = pages[index];
        if (p == null) {
            return false;
        }
        for (byte b : p) {
            if (b != ERASED) {
                return true;
            }
        }
        return false;
    }

    int pageCount() {
        return pages.length;
    }
}
