package io.github.dfu4j.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * What is at a {@link DevicePort} at one moment: a value (equal when mode, device, summary and detail are).
 *
 * <pre>{@code
 * PortState now = transport.port().state();
 * if (now.mode() == PortState.Mode.DFU) { ... }      // the bootloader is (back) on the bus
 * System.out.println(now.summary());                 // "0483:5740 (run-time DFU interface) at 1-2.3"
 * }</pre>
 */
public final class PortState {

    /** What a device at the port is. */
    public enum Mode {
        /** Nothing is enumerated there. */
        EMPTY,
        /** A device with a DFU interface in DFU mode: the bootloader. */
        DFU,
        /** An application with a DFU run-time interface (DFU 1.1 §4.1): it offers DETACH. */
        RUNTIME,
        /** A device without a DFU interface: an application without DFU support, or another device. */
        OTHER;

        /**
         * True for a device that is not in DFU mode: what a started application looks like.
         *
         * @return {@code true} for {@link #RUNTIME} and {@link #OTHER}
         */
        public boolean isApplication() {
            return this == RUNTIME || this == OTHER;
        }
    }

    private final Mode mode;
    private final Optional<DeviceInfo> device;
    private final String summary;
    private final String detail;

    /**
     * @param mode    what the device there is, as far as DFU is concerned
     * @param device  its identity when the port knows it (empty for {@link Mode#EMPTY}; strings may be
     *                empty where the port does not read them)
     * @param summary one line for people: IDs, mode and port ("0483:df11 (DFU mode) at 1-2.3",
     *                "simulated application at sim:stm32f405")
     * @param detail  more about it where the port knows more, e.g. a simulator's running application
     *                ("vector table 0x08000000, reset handler 0x0800018b"); empty otherwise
     */
    public PortState(Mode mode, Optional<DeviceInfo> device, String summary, String detail) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.device = Objects.requireNonNull(device, "device");
        this.summary = Objects.requireNonNull(summary, "summary");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /**
     * Nothing at {@code path}.
     *
     * @param path the port path, used in the summary {@code "nothing at <path>"}
     * @return a state of mode {@link Mode#EMPTY} with no device
     */
    public static PortState empty(String path) {
        return new PortState(Mode.EMPTY, Optional.empty(), "nothing at " + path, "");
    }

    /**
     * What the device there is, as far as DFU is concerned.
     *
     * @return the mode, never {@code null}
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Its identity when the port knows it; empty for {@link Mode#EMPTY}.
     *
     * @return the identity, or empty
     */
    public Optional<DeviceInfo> device() {
        return device;
    }

    /**
     * One line for people: IDs, mode and port, e.g. "0483:df11 (DFU mode) at 1-2.3".
     *
     * @return the summary, never {@code null}
     */
    public String summary() {
        return summary;
    }

    /**
     * More about it where the port knows more (a simulator's running application); empty otherwise.
     *
     * @return the detail, or {@code ""}
     */
    public String detail() {
        return detail;
    }

    /** Equal when mode, device, summary and detail are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PortState p && mode == p.mode && device.equals(p.device) && summary.equals(p.summary)
                && detail.equals(p.detail);
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(mode, device, summary, detail);
    }

    /** The mode and the summary, for logs. */
    @Override
    public String toString() {
        return mode + ": " + summary + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
