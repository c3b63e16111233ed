package io.github.dfu4j.sim;

/**
 * The device side of a simulated USB device: it answers endpoint-0 control requests the way the
 * real device would. The in-process simulated transport calls it directly; the real-USB test tier
 * (a raw_gadget bridge inside a VM) feeds it the setup packets the kernel's gadget layer receives,
 * so the same device models run under unit tests and over a real kernel USB stack.
 *
 * <pre>{@code
 * UsbControlEndpoint ep = SimulatedDevices.create("stm32f405").endpoint();
 * ControlReply status = ep.control(0xA1, 3, 0, 0, 6, new byte[0]); // DFU_GETSTATUS
 * }</pre>
 */
public interface UsbControlEndpoint {

    /** The 18-byte device descriptor. */
    byte[] deviceDescriptor();

    /** The full configuration descriptor: configuration, interface (every alt setting), DFU functional descriptor. */
    byte[] configurationDescriptor();

    /**
     * A string descriptor as USB bytes (bLength, 0x03, UTF-16LE text); index 0 is the language-id list.
     *
     * @return the descriptor, or null when the device has no string at that index (the request stalls)
     */
    byte[] stringDescriptor(int index);

    /**
     * Handles one control request other than GET_DESCRIPTOR: standard SET_CONFIGURATION,
     * SET_INTERFACE, GET_INTERFACE, GET_STATUS, and the DFU class requests.
     *
     * @param dataOut the OUT data stage (empty for IN requests and requests without data)
     * @return the reply: data for an IN request (at most wLength bytes), or a stall
     */
    ControlReply control(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength, byte[] dataOut);

    /** A USB bus reset from the host. */
    void busReset();

    /** True while the device is on the bus; false once it has left it (e.g. started an application). */
    boolean connected();

    /**
     * The answer to one control request.
     *
     * @param stalled true: the device stalls endpoint 0 and so refuses the request ({@link #stall()} carries no data)
     * @param data    the IN data stage, empty for a stall, an acknowledged OUT request or a zero-length reply
     */
    record ControlReply(boolean stalled, byte[] data) {
        private static final byte[] NONE = new byte[0];

        /** A STALL handshake: the device refuses the request. */
        public static ControlReply stall() {
            return new ControlReply(true, NONE);
        }

        /** A successful request without data (an OUT request's status stage, or a zero-length IN reply). */
        public static ControlReply ack() {
            return new ControlReply(false, NONE);
        }

        /**
         * A successful IN request answered with {@code data} (copied).
         *
         * @throws NullPointerException if {@code data} is null
         */
        public static ControlReply data(byte[] data) {
            return new ControlReply(false, data.clone());
        }

        /** A copy of the IN data stage (empty for a stall or an ack). */
        @Override
        public byte[] data() {
            return data.clone();
        }
    }
}
