package io.github.dfu4j.dfu;

/** The stage of an operation, reported in progress events and carried by errors. */
public enum Phase {
    /** Opening the device: descriptors, status, recovery to dfuIDLE. */
    SETUP,
    /** Reading memory back: upload, or comparing sectors before an incremental flash. */
    READ,
    ERASE,
    WRITE,
    VERIFY,
    LEAVE
}
