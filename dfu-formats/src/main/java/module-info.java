/** Firmware file formats: read and write DfuSe .dfu, DFU suffix, Intel HEX, S-record, ELF and raw binary. */
module io.github.dfu4j.formats {
    exports io.github.dfu4j.formats;
}
