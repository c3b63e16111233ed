package io.github.dfu4j.sim;

/**
 * How a bootloader treats control requests while a flash operation started by GETSTATUS runs.
 */
public enum BusyBehaviour {
    /**
     * The operation runs inside the USB interrupt after the dfuDNBUSY reply (ST's DFU middleware runs it
     * in the EP0 TX-complete callback, docs/reference/dfu.md §2.3), so the USB stack NAKs the next request until it
     * finishes: a GETSTATUS sent early simply takes longer, or times out if the host's control timeout
     * is shorter. Every ST ROM in the table: F0/F4/F7 (F745: fwupd needed 5 s; docs/reference/dfu.md §2.7 item 5) and H7
     * ([O] docs/troubleshooting.md 001: pydfu, which polls again at once and fails a write unless that poll answers
     * dfuDNLOAD-IDLE, flashed an H753 ROM; docs/reference/mboot.md §5.4, docs/reference/stm32.md §6; inferred, not measured); mboot by construction (docs/reference/mboot.md §5.3).
     * The H743 rev V bank-2 erase wedge is an exception on top: after the erase the ROM answers
     * every GETSTATUS with dfuDNBUSY (docs/reference/dfu.md §2.7 item 3).
     */
    NAK_UNTIL_DONE,
    /**
     * The USB stack keeps answering: GETSTATUS during the operation reports dfuDNBUSY again with the
     * same bwPollTimeout, so a host must wait bwPollTimeout between polls. No ST ROM is known to do this
     * for normal operations; it is what the wedged H743 bank-2 erase looks like, and the simulator can
     * model a bootloader that does its flash work outside the USB interrupt this way
     * ({@code SimOptions.withBusyBehaviour}). Other requests are handled per the DFU table in dfuDNBUSY
     * (stall), except CLRSTATUS, which ST's DfuSe code turns into (errUNKNOWN, dfuERROR).
     */
    REPORT_DNBUSY
}
