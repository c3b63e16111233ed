package io.github.dfu4j.libusb.jna;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Field offsets of a C struct under the natural-alignment rule every libusb platform ABI uses
 * (System V x86-64 and AArch64, Apple arm64, Windows x64; libusb.h declares these structs without
 * packing pragmas): each field starts at the next multiple of its own size, the struct size is
 * rounded up to its largest field. {@code int} is 4 bytes on all of them; only the pointer size
 * varies. Reading structs by offset instead of through JNA's reflective {@code Structure} keeps
 * the layout explicit and testable without loading any native code.
 */
final class CStructLayout {
    private final String name;
    private final Map<String, Integer> offsets;
    private final int size;

    private CStructLayout(String name, Map<String, Integer> offsets, int size) {
        this.name = name;
        this.offsets = offsets;
        this.size = size;
    }

    static Builder struct(String name, int pointerSize) {
        return new Builder(name, pointerSize);
    }

    int offset(String field) {
        Integer o = offsets.get(field);
        if (o == null) {
            throw new IllegalArgumentException(name + " has no field " + field);
        }
        return o;
    }

    int size() {
        return size;
    }

    String name() {
        return name;
    }

    static final class Builder {
        private final String name;
        private final int pointerSize;
        private final Map<String, Integer> offsets = new LinkedHashMap<>();
        private int position;
        private int maxAlign = 1;

        private Builder(String name, int pointerSize) {
            if (pointerSize != 4 && pointerSize != 8) {
                throw new IllegalArgumentException("pointer size " + pointerSize);
            }
            this.name = name;
            this.pointerSize = pointerSize;
        }

        Builder u8(String field) {
            return field(field, 1);
        }

        Builder u16(String field) {
            return field(field, 2);
        }

        Builder i32(String field) {
            return field(field, 4);
        }

        Builder pointer(String field) {
            return field(field, pointerSize);
        }

        private Builder field(String field, int size) {
            position = (position + size - 1) / size * size;
            offsets.put(field, position);
            position += size;
            maxAlign = Math.max(maxAlign, size);
            return this;
        }

        CStructLayout build() {
            int total = (position + maxAlign - 1) / maxAlign * maxAlign;
            return new CStructLayout(name, Map.copyOf(offsets), total);
        }
    }
}
