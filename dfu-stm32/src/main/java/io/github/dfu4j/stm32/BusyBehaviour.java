package io.github.dfu4j.stm32;

/**
 * How a bootloader treats control requests while a flash operation started by GETSTATUS runs.
 */
public enum BusyBehaviour {
    /**
     * The operation runs inside the USB interrupt after the dfuDNBUSY reply, so the USB stack NAKs
     * the next request until it finishes: a GETSTATUS sent early simply takes longer, or times out
     * if the host's control timeout is shorter (F745: fwupd needed 5 s; mboot by construction;
     * fact sheet §2.7 item 5, §5.3).
     */
    NAK_UNTIL_DONE,
    /**
     * The USB stack keeps answering: GETSTATUS during the operation reports dfuDNBUSY again with the
     * same bwPollTimeout (H7 ROMs, as the rev V bank-2 erase wedge shows: fact sheet §2.7 item 3).
     * Other requests are handled per the DFU table in dfuDNBUSY (stall), except CLRSTATUS, which ST's
     * DfuSe code turns into (errUNKNOWN, dfuERROR).
     */
    REPORT_DNBUSY
}
