/**
 * The DFU file suffix (DFU 1.1 appendix B) on any file: check, read, add, strip
 * ({@link io.github.dfu4j.formats.suffix.DfuSuffixes}) and its CRC ({@link io.github.dfu4j.formats.suffix.DfuCrc}).
 */
package io.github.dfu4j.formats.suffix;
