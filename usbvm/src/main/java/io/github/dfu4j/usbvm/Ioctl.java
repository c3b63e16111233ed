package io.github.dfu4j.usbvm;

/**
 * Linux ioctl request numbers, encoded the way {@code asm-generic/ioctl.h} does for x86-64 (and
 * every architecture that uses the generic layout: arm64, riscv): bits 0-7 the number, 8-15 the
 * type character, 16-29 the argument size, 30-31 the direction.
 */
public final class Ioctl {

    /** No argument is transferred ({@code _IO}). */
    public static final int DIR_NONE = 0;
    /** User space writes the argument to the kernel ({@code _IOW}). */
    public static final int DIR_WRITE = 1;
    /** The kernel writes the argument back to user space ({@code _IOR}). */
    public static final int DIR_READ = 2;

    private static final int NR_BITS = 8;
    private static final int TYPE_BITS = 8;
    private static final int SIZE_BITS = 14;
    private static final int TYPE_SHIFT = NR_BITS;
    private static final int SIZE_SHIFT = TYPE_SHIFT + TYPE_BITS;
    private static final int DIR_SHIFT = SIZE_SHIFT + SIZE_BITS;

    private Ioctl() {
    }

    /**
     * {@code _IOC(direction, type, number, size)}.
     *
     * @throws IllegalArgumentException when a field does not fit its bit width (the kernel macro
     *                                  would silently corrupt the neighbouring field)
     */
    public static long encode(int direction, char type, int number, int size) {
        check("direction", direction, 2);
        check("type", type, TYPE_BITS);
        check("number", number, NR_BITS);
        check("size", size, SIZE_BITS);
        return ((long) direction << DIR_SHIFT) | ((long) size << SIZE_SHIFT) | ((long) type << TYPE_SHIFT) | number;
    }

    /** {@code _IO(type, number)}. */
    public static long none(char type, int number) {
        return encode(DIR_NONE, type, number, 0);
    }

    /** {@code _IOR(type, number, size)}. */
    public static long read(char type, int number, int size) {
        return encode(DIR_READ, type, number, size);
    }

    /** {@code _IOW(type, number, size)}. */
    public static long write(char type, int number, int size) {
        return encode(DIR_WRITE, type, number, size);
    }

    /** {@code _IOWR(type, number, size)}. */
    public static long readWrite(char type, int number, int size) {
        return encode(DIR_READ | DIR_WRITE, type, number, size);
    }

    private static void check(String field, int value, int bits) {
        if (value < 0 || value >= (1 << bits)) {
            throw new IllegalArgumentException("ioctl " + field + " " + value + " does not fit in " + bits + " bits");
        }
    }
}
