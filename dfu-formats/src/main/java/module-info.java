/**
 * Firmware file formats: read and write DfuSe .dfu, DFU suffix, Intel HEX, S-record, ELF and raw
 * binary. Start at {@link io.github.dfu4j.formats.FirmwareFiles}. Pure: no I/O beyond the file
 * reads and writes the facade is asked for.
 */
module io.github.dfu4j.formats {
    exports io.github.dfu4j.formats;
    exports io.github.dfu4j.formats.suffix;
    exports io.github.dfu4j.formats.dfuse;
    exports io.github.dfu4j.formats.ihex;
    exports io.github.dfu4j.formats.srec;
    exports io.github.dfu4j.formats.elf;
    exports io.github.dfu4j.formats.bin;
    exports io.github.dfu4j.formats.testing;
}
