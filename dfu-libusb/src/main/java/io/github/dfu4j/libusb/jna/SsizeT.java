package io.github.dfu4j.libusb.jna;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/**
 * C {@code ssize_t}: pointer-sized on every platform libusb supports, including 64-bit Windows
 * where {@code long} (and so JNA's NativeLong) is only 32 bits. JNA instantiates it reflectively,
 * hence the public no-argument constructor and the module's {@code opens} to com.sun.jna.
 */
public final class SsizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    public SsizeT() {
        this(0);
    }

    public SsizeT(long value) {
        super(Native.SIZE_T_SIZE, value, false);
    }
}
