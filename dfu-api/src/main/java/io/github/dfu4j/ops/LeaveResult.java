package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.transport.PortState;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How leaving DFU mode went.
 *
 * @param outcome           what happened
 * @param address           the address sent with SET_ADDRESS before the zero-length DNLOAD, if any
 * @param addressSource     where that address came from
 * @param reenumerationChecked true when we looked for the device coming back in DFU mode
 *                          at its port ({@link io.github.dfu4j.transport.DevicePort#awaitDfu}); false
 *                          when the check was off or the transport cannot do it
 * @param elapsed           time on the transport clock
 * @param error             for {@link Outcome#FAILED}: why
 * @param atPort            when the check ran and the device did not come back in DFU mode: what was at
 *                          its port when the check ended (the application came up: {@code RUNTIME} or
 *                          {@code OTHER}; {@code EMPTY}: gone, or still starting); empty otherwise
 */
public record LeaveResult(Outcome outcome, OptionalLong address, AddressSource addressSource,
                          boolean reenumerationChecked, Duration elapsed, Optional<DfuException> error,
                          Optional<PortState> atPort) {

    /** The ways leave can end. */
    public enum Outcome {
        /** The device answered dfuMANIFEST and left the bus (and, if checked, did not come back in DFU mode). */
        LEFT,
        /** The device vanished while we waited for its final status: it left, a normal end for H7 ROMs. */
        DISCONNECTED,
        /**
         * The device left but came back in DFU mode: the address held no runnable application (wrong
         * address for this {@link LeaveMode}) or BOOT0 is held high. The flash itself is fine. The
         * {@link DfuDevice} goes on with the device's new enumeration: its operations work again.
         */
        CAME_BACK_IN_DFU,
        /**
         * The device did not answer the final GETSTATUS (timeout or I/O error), and a second GETSTATUS
         * did not find it gone either: it is still on the bus, so it is not counted as having left.
         */
        NO_ANSWER,
        /** A manifestation-tolerant plain DFU device finished and stayed in DFU mode. */
        STAYED_IN_DFU,
        /** The device refused to leave (only reported inside a {@link FlashResult}; {@link DfuDevice#leave} throws). */
        FAILED
    }

    /** Where the leave address came from. */
    public enum AddressSource {
        /** Given by the caller. */
        EXPLICIT,
        /** The image's entry point (ELF e_entry, HEX/S-record start address). */
        IMAGE_ENTRY_POINT,
        /**
         * Word 1 of the vector table (the reset handler, as stored), for {@link LeaveMode#RESET_HANDLER}:
         * the image's, or, for a leave without image and address, the one read from the start of flash.
         */
        RESET_VECTOR,
        /** The image's lowest flash address (the vector table base), for {@link LeaveMode#VECTOR_TABLE}. */
        VECTOR_TABLE_BASE,
        /**
         * The start of flash in the layout: no address was given and the bootloader loads a vector table
         * there ({@link LeaveMode#VECTOR_TABLE}), or it needs some SET_ADDRESS before leaving.
         */
        LAYOUT_START,
        /** No SET_ADDRESS: the device ignores the address or it was left as the last operation set it. */
        NONE
    }

    public LeaveResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(addressSource, "addressSource");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(atPort, "atPort");
    }

    /** A result that says nothing about the port (the check did not run, or found the device in DFU mode). */
    public LeaveResult(Outcome outcome, OptionalLong address, AddressSource addressSource, boolean reenumerationChecked,
                       Duration elapsed, Optional<DfuException> error) {
        this(outcome, address, addressSource, reenumerationChecked, elapsed, error, Optional.empty());
    }

    /** What was at the device's port when the re-enumeration check ended without it; see the record's {@code atPort}. */
    @Override
    public Optional<PortState> atPort() {
        return atPort;
    }

    /**
     * The device is no longer in DFU mode: it answered dfuMANIFEST and left, or the transport reported it
     * gone while leaving. A final status that only timed out ({@link Outcome#NO_ANSWER}) does not count.
     */
    public boolean left() {
        return outcome == Outcome.LEFT || outcome == Outcome.DISCONNECTED;
    }
}
