package io.github.dfu4j.dfu;

/** The stage of an operation, reported in progress events and carried by errors. */
public enum Phase {
    /** Opening the device: descriptors, status, recovery to dfuIDLE. */
    SETUP,
    /** Reading memory back: upload, or comparing sectors before an incremental flash. */
    READ,
    /** Erasing: DfuSe page/sector erases before a write, a mass erase, or a read-unprotect. */
    ERASE,
    /** Downloading data blocks (DNLOAD) and waiting for the device to program them. */
    WRITE,
    /** Reading written memory back and comparing it with the image. */
    VERIFY,
    /** Leaving DFU mode: setting the jump address, the zero-length DNLOAD and the manifestation that follows. */
    LEAVE
}
