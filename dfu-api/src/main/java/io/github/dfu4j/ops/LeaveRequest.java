package io.github.dfu4j.ops;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Whether and where a download leaves DFU mode.
 *
 * @param kind    none, automatic address, or an explicit address
 * @param address the explicit address for {@link Kind#ADDRESS}
 */
public record LeaveRequest(Kind kind, OptionalLong address) {
    private static final LeaveRequest NONE = new LeaveRequest(Kind.NONE, OptionalLong.empty());
    private static final LeaveRequest AUTO = new LeaveRequest(Kind.AUTO, OptionalLong.empty());

    /** How the leave address is chosen. */
    public enum Kind {
        /** Stay in DFU mode. */
        NONE,
        /** Leave; the address comes from the image and the {@link DeviceProfile}'s {@link LeaveMode}. */
        AUTO,
        /** Leave through this address. */
        ADDRESS
    }

    public LeaveRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        if ((kind == Kind.ADDRESS) != address.isPresent()) {
            throw new IllegalArgumentException("an address is given exactly for Kind.ADDRESS");
        }
        if (address.isPresent() && (address.getAsLong() < 0 || address.getAsLong() > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("leave address outside the 32-bit address space: " + address.getAsLong());
        }
    }

    /** Stay in DFU mode after the download (the default of {@link FlashOptions}). */
    public static LeaveRequest none() {
        return NONE;
    }

    /**
     * Leave after the download through the address the {@link DeviceProfile}'s {@link LeaveMode} picks from the image
     * (an F4-class ROM: the image's lowest flash address, the vector table; an H7 ROM: the reset handler in it).
     */
    public static LeaveRequest auto() {
        return AUTO;
    }

    /**
     * Leave after the download through {@code address} (DfuSe: SET_ADDRESS to it, then the zero-length DNLOAD).
     *
     * @param address a 32-bit address, 0 to 0xFFFFFFFF
     * @throws IllegalArgumentException if {@code address} is outside that range
     */
    public static LeaveRequest at(long address) {
        return new LeaveRequest(Kind.ADDRESS, OptionalLong.of(address));
    }
}
