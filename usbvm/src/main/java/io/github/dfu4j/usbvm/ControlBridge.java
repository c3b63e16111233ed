package io.github.dfu4j.usbvm;

import io.github.dfu4j.sim.UsbControlEndpoint;
import io.github.dfu4j.sim.UsbControlEndpoint.ControlReply;
import java.util.Arrays;
import java.util.Objects;

/**
 * Puts a {@link UsbControlEndpoint} (a simulated bootloader) on a real USB bus: it takes the
 * control requests the kernel's gadget layer receives from a {@link RawGadget} and answers each
 * one from the endpoint.
 *
 * <ul>
 * <li>GET_DESCRIPTOR (device, configuration, string) is answered here from the endpoint's
 *     descriptor bytes, cut to wLength; other descriptor types (device qualifier, BOS) stall, as
 *     they do on a full-speed USB 1.x/2.0 device without them.</li>
 * <li>SET_CONFIGURATION goes to the endpoint first (its reply decides ack or stall), then the UDC is
 *     told: VBUS_DRAW with the configuration's bMaxPower and CONFIGURE.</li>
 * <li>Everything else goes to {@link UsbControlEndpoint#control}; IN replies become the data stage,
 *     OUT data stages are read first and handed over, stalls become EP0_STALL.</li>
 * </ul>
 *
 * <p>Bus resets: kernels from 6.5 on report RESET/DISCONNECT events, which go to
 * {@link UsbControlEndpoint#busReset()}. Linux 6.1's raw_gadget reports neither, so there a reset
 * is recognised by its effect: a host only reads the device descriptor again after a configured
 * device was reset (libusb and usbfs serve descriptors from the kernel's cache), so such a request
 * is passed on as a bus reset before it is answered.
 *
 * <p>Known limit of raw_gadget on dummy_hcd: an OUT data stage completes, status stage included,
 * as soon as it is read, so a stall that the endpoint decides only after seeing the data (a DNLOAD
 * it rejects, e.g. an injected {@code fault=stall@cmd:write}) cannot be put on that transfer, and
 * the endpoint's API only decides with the data in hand. Acknowledging it silently would turn a
 * refused block into silent data loss (the endpoint's state is unchanged, so the next GETSTATUS
 * would report dfuDNLOAD-IDLE). So the bridge does what a DFU device does after stalling a request
 * (DFU 1.1 §6.1.2 / errSTALLEDPKT): from then on it presents the interface in dfuERROR with
 * errSTALLEDPKT, answering DFU class requests itself until the host's CLRSTATUS:
 * <ul>
 * <li>GETSTATUS reports {@code errSTALLEDPKT, bwPollTimeout 0, dfuERROR}; GETSTATE reports dfuERROR;</li>
 * <li>CLRSTATUS brings the endpoint itself to dfuIDLE (CLRSTATUS when it is in dfuERROR, else ABORT,
 *     after one GETSTATE to tell which) and ends the error;</li>
 * <li>every other DFU request stalls (OUT requests before their data stage), as in dfuERROR.</li>
 * </ul>
 * The host therefore sees the failure on the refused block's own GETSTATUS. Traced as
 * {@code LATE-STALL} and {@code AS-DFU-ERROR}. A bus reset or SET_CONFIGURATION ends the error too
 * (the endpoint resets its DFU state there).
 */
public final class ControlBridge {

    /** Why {@link #serve()} returned. */
    public enum Outcome {
        /** The simulated device left the bus ({@link UsbControlEndpoint#connected()} turned false). */
        LEFT_BUS
    }

    static final int REQ_GET_DESCRIPTOR = 6;
    static final int REQ_SET_CONFIGURATION = 9;
    static final int DESC_DEVICE = 1;
    static final int DESC_CONFIGURATION = 2;
    static final int DESC_STRING = 3;
    // DFU 1.1 class requests, states and status the bridge uses to report a refused DNLOAD itself
    static final int DFU_GETSTATUS = 3;
    static final int DFU_CLRSTATUS = 4;
    static final int DFU_GETSTATE = 5;
    static final int DFU_ABORT = 6;
    static final int DFU_STATE_ERROR = 10;
    static final int DFU_ERR_STALLEDPKT = 0x0F;

    private final RawGadget gadget;
    private final UsbControlEndpoint device;
    private final BridgeTrace trace;
    private final int maxPacket0;
    private boolean configuredSinceReset;
    private boolean everConfigured;
    private boolean kernelReportsResets;
    private long requests;
    /** A class OUT request was refused after its data stage: the interface is presented in dfuERROR. */
    private boolean refusedAfterData;

    public ControlBridge(RawGadget gadget, UsbControlEndpoint device, BridgeTrace trace) {
        this.gadget = Objects.requireNonNull(gadget, "gadget");
        this.device = Objects.requireNonNull(device, "device");
        this.trace = Objects.requireNonNull(trace, "trace");
        byte[] dd = device.deviceDescriptor();
        if (dd.length < 18 || dd[1] != DESC_DEVICE) {
            throw new IllegalArgumentException("the endpoint's device descriptor is not an 18-byte type-1 descriptor");
        }
        this.maxPacket0 = dd[7] & 0xFF;
    }

    /** True once the host configured the device on this connection (SET_CONFIGURATION with a non-zero value). */
    public boolean everConfigured() {
        return everConfigured;
    }

    /** Control requests answered so far. */
    public long requests() {
        return requests;
    }

    /**
     * Answers events until the simulated device leaves the bus.
     *
     * @throws RawGadgetException when fetching events fails (the gadget was closed or failed)
     */
    public Outcome serve() throws RawGadgetException {
        while (true) {
            RawGadgetEvent event;
            try {
                event = gadget.fetchEvent();
            } catch (RawGadgetException e) {
                if (e.errno() == RawGadgetException.EINTR) {
                    continue;
                }
                throw e;
            }
            handle(event);
            if (!device.connected()) {
                trace.line("LEFT-BUS");
                return Outcome.LEFT_BUS;
            }
        }
    }

    /** Handles one event. */
    public void handle(RawGadgetEvent event) {
        switch (event.kind()) {
            case CONTROL -> onSetup(event.setup());
            case RESET, DISCONNECT -> {
                kernelReportsResets = true;
                configuredSinceReset = false;
                refusedAfterData = false;
                trace.line(event.kind() + " -> bus reset");
                device.busReset();
            }
            default -> trace.line("EVENT " + event.kind() + " (" + event.code() + ")");
        }
    }

    private void onSetup(SetupPacket s) {
        requests++;
        String what = BridgeTrace.describe(s);
        try {
            if (s.isStandard() && s.request() == REQ_GET_DESCRIPTOR && s.isIn()) {
                serveDescriptor(s, what);
            } else if (s.isStandard() && s.request() == REQ_SET_CONFIGURATION && !s.isIn()
                    && s.recipient() == SetupPacket.RECIPIENT_DEVICE) {
                setConfiguration(s, what);
            } else {
                forward(s, what);
            }
        } catch (RawGadgetException e) {
            // The host may have given up on the transfer (timeout, unplug, reset): the next SETUP
            // starts afresh, so the bridge carries on.
            trace.line(what + " -> ERROR " + e.getMessage());
        }
    }

    private void serveDescriptor(SetupPacket s, String what) throws RawGadgetException {
        int type = s.value() >> 8;
        int index = s.value() & 0xFF;
        if (type == DESC_DEVICE && configuredSinceReset && !kernelReportsResets) {
            configuredSinceReset = false;
            trace.line("re-enumeration after a configured state -> bus reset");
            refusedAfterData = false;
            device.busReset();
        }
        byte[] descriptor = switch (type) {
            case DESC_DEVICE -> device.deviceDescriptor();
            case DESC_CONFIGURATION -> index == 0 ? device.configurationDescriptor() : null;
            case DESC_STRING -> device.stringDescriptor(index);
            default -> null;
        };
        if (descriptor == null) {
            stall(what);
        } else {
            replyIn(s, descriptor, what);
        }
    }

    private void setConfiguration(SetupPacket s, String what) throws RawGadgetException {
        ControlReply reply = device.control(s.requestType(), s.request(), s.value(), s.index(), s.length(), new byte[0]);
        if (reply.stalled()) {
            stall(what);
            return;
        }
        refusedAfterData = false; // the endpoint reset its DFU state
        if (s.value() != 0) {
            byte[] config = device.configurationDescriptor();
            int maxPower = config.length > 8 ? config[8] & 0xFF : 50;
            gadget.vbusDraw(maxPower);
            gadget.configure();
            configuredSinceReset = true;
            everConfigured = true;
        }
        gadget.ep0Read(0);
        trace.line(what + " -> ack");
    }

    private void forward(SetupPacket s, String what) throws RawGadgetException {
        boolean classRequest = s.type() == SetupPacket.TYPE_CLASS;
        if (refusedAfterData && classRequest) {
            answerInDfuError(s, what);
            return;
        }
        if (s.isIn() && s.length() > 0) {
            ControlReply reply = device.control(s.requestType(), s.request(), s.value(), s.index(), s.length(), new byte[0]);
            if (reply.stalled()) {
                stall(what);
            } else {
                replyIn(s, reply.data(), what);
            }
            return;
        }
        // OUT requests, and IN requests without a data stage (raw_gadget treats those as OUT).
        byte[] data = s.length() > 0 && !s.isIn() ? gadget.ep0Read(s.length()) : new byte[0];
        ControlReply reply = device.control(s.requestType(), s.request(), s.value(), s.index(), s.length(), data);
        if (data.length > 0) {
            if (reply.stalled() && classRequest) {
                refusedAfterData = true;
                trace.line(what + " " + BridgeTrace.hex(data)
                        + " -> LATE-STALL (data stage already completed; the interface now reports dfuERROR/errSTALLEDPKT)");
            } else if (reply.stalled()) {
                // only SET_DESCRIPTOR has an OUT data stage among standard requests; no simulator refuses it late
                trace.line(what + " " + BridgeTrace.hex(data) + " -> LATE-STALL (data stage already completed; not reportable)");
            } else {
                trace.line(what + " " + BridgeTrace.hex(data) + " -> ack");
            }
        } else if (reply.stalled()) {
            stall(what);
        } else {
            gadget.ep0Read(0);
            trace.line(what + " -> ack");
        }
    }

    /** A DFU class request while the bridge presents a refused DNLOAD as dfuERROR/errSTALLEDPKT. */
    private void answerInDfuError(SetupPacket s, String what) throws RawGadgetException {
        if (s.request() == DFU_GETSTATUS && s.isIn() && s.length() > 0) {
            replyIn(s, new byte[] {DFU_ERR_STALLEDPKT, 0, 0, 0, DFU_STATE_ERROR, 0}, what + " AS-DFU-ERROR");
        } else if (s.request() == DFU_GETSTATE && s.isIn() && s.length() > 0) {
            replyIn(s, new byte[] {DFU_STATE_ERROR}, what + " AS-DFU-ERROR");
        } else if (s.request() == DFU_CLRSTATUS && !s.isIn() && s.length() == 0) {
            String how = bringEndpointToIdle(s.index());
            if (how == null) {
                stall(what + " AS-DFU-ERROR (the endpoint did not return to dfuIDLE)");
            } else {
                refusedAfterData = false;
                gadget.ep0Read(0);
                trace.line(what + " AS-DFU-ERROR -> ack (dfuERROR cleared; endpoint brought to dfuIDLE with " + how + ")");
            }
        } else {
            // dfuERROR accepts only GETSTATUS, GETSTATE and CLRSTATUS; an OUT data stage is never read
            stall(what + " AS-DFU-ERROR (not forwarded)");
        }
    }

    /**
     * Brings the endpoint's own DFU state machine to dfuIDLE after a refused DNLOAD: it is either
     * in dfuERROR (it refused by its own rules) or still where it was before the request (an
     * injected stall leaves the state alone).
     *
     * @return the request that did it, or null when the endpoint refused
     */
    private String bringEndpointToIdle(int interfaceNumber) {
        ControlReply state = device.control(0xA1, DFU_GETSTATE, 0, interfaceNumber, 1, new byte[0]);
        boolean inError = !state.stalled() && state.data().length == 1 && (state.data()[0] & 0xFF) == DFU_STATE_ERROR;
        if (!inError) {
            if (!device.control(0x21, DFU_ABORT, 0, interfaceNumber, 0, new byte[0]).stalled()) {
                return "ABORT";
            }
            // ABORT is refused in some states (e.g. busy), which leaves the endpoint in dfuERROR
        }
        return device.control(0x21, DFU_CLRSTATUS, 0, interfaceNumber, 0, new byte[0]).stalled() ? null : "CLRSTATUS";
    }

    private void replyIn(SetupPacket s, byte[] data, String what) throws RawGadgetException {
        byte[] sent = data.length > s.length() ? Arrays.copyOf(data, s.length()) : data;
        // A short reply that fills whole packets needs a zero-length packet, or the host keeps waiting.
        boolean zlp = sent.length > 0 && sent.length < s.length() && maxPacket0 > 0 && sent.length % maxPacket0 == 0;
        gadget.ep0Write(sent, zlp);
        trace.line(what + " -> " + sent.length + (zlp ? "+zlp" : "") + " bytes " + BridgeTrace.hex(sent));
    }

    private void stall(String what) throws RawGadgetException {
        gadget.ep0Stall();
        trace.line(what + " -> STALL");
    }
}
