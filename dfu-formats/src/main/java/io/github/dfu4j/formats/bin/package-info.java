/** Raw binaries at a caller-supplied base address: {@link io.github.dfu4j.formats.bin.RawBinary}. */
package io.github.dfu4j.formats.bin;
