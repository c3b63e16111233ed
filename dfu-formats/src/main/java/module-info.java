/**
 * Firmware file formats: read and write DfuSe .dfu, DFU suffix, Intel HEX, S-record, ELF and raw
 * binary. Start at {@link io.github.dfu4j.formats.FirmwareFiles}. Pure: no I/O beyond the file
 * reads and writes the facade is asked for.
 */
module io.github.dfu4j.formats {
    exports io.github.dfu4j.formats;
    // The per-format readers and writers are reached through FirmwareFiles and WriteOptions; the test
    // fixtures module (dfu-testkit) generates and damages files with them directly.
    exports io.github.dfu4j.formats.suffix to io.github.dfu4j.testkit;
    exports io.github.dfu4j.formats.dfuse to io.github.dfu4j.testkit;
    exports io.github.dfu4j.formats.ihex to io.github.dfu4j.testkit;
    exports io.github.dfu4j.formats.srec to io.github.dfu4j.testkit;
    exports io.github.dfu4j.formats.elf to io.github.dfu4j.testkit;
    exports io.github.dfu4j.formats.bin to io.github.dfu4j.testkit;
    exports io.github.dfu4j.formats.internal to io.github.dfu4j.testkit;
}
