package io.github.dfu4j.sim;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A simulated board whose application offers a DFU run-time interface (DFU 1.1 §4.1), seen from the
 * USB side: while the application runs it enumerates as the application (its own VID:PID, a vendor
 * interface 0, the run-time DFU interface 1 with bInterfaceProtocol 1 and a functional descriptor),
 * answers DFU_DETACH, GETSTATUS and GETSTATE (appIDLE, appDETACH), and after DETACH re-enumerates
 * as the board's bootloader: by itself when bitWillDetach is set, else on the host's USB reset
 * within the detach timeout (DFU 1.1 §5.1; without one it goes back to appIDLE). While the
 * bootloader runs every request goes to the ROM or mboot personality, and a leave that starts the
 * application brings the run-time face back. For host code that drives a USB bus (dfu-libusb's
 * run-time to DFU path, a raw_gadget bridge); the in-process {@link SimulatedDevice#connect()}
 * transport still puts the board into DFU mode by hand.
 *
 * <pre>{@code
 * RuntimeDfuDevice app = RuntimeDfuDevice.start(SimulatedDevices.create("stm32f405"), false);
 * // hand app (a UsbControlEndpoint) to a USB bus model; after DETACH and a reset it answers as the ROM
 * }</pre>
 */
public final class RuntimeDfuDevice implements UsbControlEndpoint {
    /** The application's USB vendor ID, ST's (0x0483). */
    public static final int VENDOR_ID = 0x0483;
    /** The application's USB product ID, that of ST's example CDC applications (0x5740); the bootloader has its own. */
    public static final int PRODUCT_ID = 0x5740;
    /** bInterfaceNumber of the run-time DFU interface (interface 0 is the application's own). */
    public static final int DFU_INTERFACE = 1;
    /** wDetachTimeOut of the functional descriptor, ms. */
    public static final int DETACH_TIMEOUT_MS = 1000;

    static final int APP_IDLE = 0;
    static final int APP_DETACH = 1;
    private static final int DETACH = 0;
    private static final int GETSTATUS = 3;
    private static final int GETSTATE = 5;

    private final SimulatedDevice board;
    private final SimBootloader dev;
    private final boolean willDetach;
    private final byte[] deviceDescriptor;
    private final byte[] configuration;
    private final Map<Integer, byte[]> strings;
    private int appState = APP_IDLE;
    private long detachDeadline = Long.MAX_VALUE;
    private int detaches;

    private RuntimeDfuDevice(SimulatedDevice board, boolean willDetach) {
        this.board = Objects.requireNonNull(board, "board");
        this.dev = board.model();
        this.willDetach = willDetach;
        this.deviceDescriptor = new byte[] {18, 1, 0x00, 0x02, 0, 0, 0, 64, lo(VENDOR_ID), hi(VENDOR_ID), lo(PRODUCT_ID),
            hi(PRODUCT_ID), 0x00, 0x01, 1, 2, 3, 1};
        int transfer = dev.transferSize;
        // bitCanDnload | bitCanUpload, plus bitWillDetach (0x08) when the device detaches by itself
        byte attributes = (byte) (0x03 | (willDetach ? 0x08 : 0));
        byte[][] parts = {
            {9, 4, 0, 0, 1, (byte) 0xFF, 0, 0, 0},           // the application's vendor interface
            {7, 5, (byte) 0x81, 2, 64, 0, 0},
            {9, 4, DFU_INTERFACE, 0, 0, (byte) 0xFE, 1, 1, 4}, // DFU, run-time protocol 1
            {9, 0x21, attributes, lo(DETACH_TIMEOUT_MS), hi(DETACH_TIMEOUT_MS), lo(transfer), hi(transfer), 0x1A, 0x01},
        };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int total = 9 + body.size();
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.writeBytes(new byte[] {9, 2, lo(total), hi(total), 2, 1, 0, (byte) 0x80, 0x32});
        c.writeBytes(body.toByteArray());
        this.configuration = c.toByteArray();
        String serial = Descriptors.decode(dev.descriptors.string(Descriptors.I_SERIAL)); // the chip's UID, as the ROM's
        this.strings = Map.of(0, new byte[] {4, 3, 0x09, 0x04}, 1, Descriptors.string("STMicroelectronics"),
                2, Descriptors.string(board.chip().line() + " application with DFU run-time"), 3, Descriptors.string(serial),
                4, Descriptors.string("DFU runtime"));
    }

    /**
     * The board powered on into its application (flash contents are not checked: the personality is
     * "an application that offers DETACH").
     *
     * @param willDetach bitWillDetach: the device leaves the bus itself after DETACH, no USB reset needed
     */
    public static RuntimeDfuDevice start(SimulatedDevice board, boolean willDetach) {
        RuntimeDfuDevice d = new RuntimeDfuDevice(board, willDetach);
        SimBootloader m = d.dev;
        synchronized (m) {
            m.sync();
            long vectors = SimBootloader.FLASH_BASE;
            m.onBus = false;
            m.generation++;
            m.offBusAt = Long.MAX_VALUE;
            m.backInDfuAt = Long.MAX_VALUE;
            m.bootWhenOff = null;
            m.app = new RunningApplication(vectors, vectors, "power-on into the application (DFU run-time personality)");
            m.runtimeFace = d;
        }
        return d;
    }

    /**
     * An in-process transport to the application's run-time DFU interface (interface 1: DETACH,
     * GETSTATUS, GETSTATE, a USB reset), at the board's port; its {@link io.github.dfu4j.transport.DfuTransport#port()} finds the
     * bootloader after the detach. Fails with NO_DEVICE when the application is not on the bus.
     */
    public io.github.dfu4j.transport.DfuTransport connect() throws io.github.dfu4j.transport.TransportException {
        synchronized (dev) {
            sync();
            if (!appOnBus()) {
                throw new io.github.dfu4j.transport.TransportException(io.github.dfu4j.transport.TransportException.Kind.NO_DEVICE,
                        "the application of " + board.id() + " is not on the bus");
            }
            String path = dev.options.portPath().isEmpty() ? "sim:" + dev.personality.id() : dev.options.portPath();
            return new RuntimeTransport(this, dev, dev.generation, path);
        }
    }

    /** The application's identity as a port reports it (what its device descriptor and strings say). */
    io.github.dfu4j.transport.DeviceInfo applicationInfo(String path) {
        return new io.github.dfu4j.transport.DeviceInfo(VENDOR_ID, PRODUCT_ID, 0x0100, Descriptors.decode(strings.get(1)),
                Descriptors.decode(strings.get(2)), Descriptors.decode(strings.get(3)), path, false);
    }

    /** The board behind it (memories, clock, the bootloader's state). */
    public SimulatedDevice board() {
        return board;
    }

    /**
     * bitWillDetach as {@link #start} was given it: true, the application leaves the bus by itself after
     * DETACH; false, it waits for the host's USB reset within {@link #DETACH_TIMEOUT_MS}.
     */
    public boolean willDetach() {
        return willDetach;
    }

    /** True while the application (the run-time face) is on the bus. */
    public boolean runtimeMode() {
        synchronized (dev) {
            sync();
            return appOnBus();
        }
    }

    /**
     * Changes whenever the device leaves the bus or enumerates again (either face): a host bus model
     * gives each value its own device address.
     */
    public int enumeration() {
        synchronized (dev) {
            sync();
            return dev.generation;
        }
    }

    /** How many DETACH requests the run-time face accepted. */
    public int detaches() {
        synchronized (dev) {
            return detaches;
        }
    }

    private boolean appOnBus() {
        return !dev.onBus && dev.app != null;
    }

    /** Lets time act: the bootloader's own events, and a detach timeout that ran out without a reset. */
    private void sync() {
        dev.sync();
        if (appState == APP_DETACH && dev.now() >= detachDeadline) {
            appState = APP_IDLE; // DFU 1.1 §5.1: no reset within wDetachTimeOut, back to appIDLE
            detachDeadline = Long.MAX_VALUE;
        }
    }

    /** The application hands over to the bootloader: it leaves the bus, the bootloader enumerates a moment later. */
    private void rebootIntoBootloader() {
        appState = APP_IDLE;
        detachDeadline = Long.MAX_VALUE;
        dev.app = null;
        dev.generation++;
        dev.backInDfuAt = SimClock.saturatedAdd(dev.now(), SimBootloader.REBOOT_TO_DFU.toNanos());
    }

    /** The application's device descriptor (VID 0x0483, PID 0x5740) while it runs; the bootloader's after the detach. */
    @Override
    public byte[] deviceDescriptor() {
        synchronized (dev) {
            sync();
            return appOnBus() ? deviceDescriptor.clone() : dev.deviceDescriptor();
        }
    }

    /**
     * While the application runs: its configuration with the vendor interface 0 and the run-time DFU interface 1
     * (protocol 1, functional descriptor with bitCanDnload, bitCanUpload, bitWillDetach as given, wDetachTimeOut
     * 1000 ms and the bootloader's wTransferSize); after the detach, the bootloader's.
     */
    @Override
    public byte[] configurationDescriptor() {
        synchronized (dev) {
            sync();
            return appOnBus() ? configuration.clone() : dev.configurationDescriptor();
        }
    }

    /**
     * While the application runs: 0 languages, 1 manufacturer, 2 product, 3 serial (the chip's, as the ROM reports
     * it), 4 the DFU interface name, null for any other index; after the detach, the bootloader's strings.
     */
    @Override
    public byte[] stringDescriptor(int index) {
        synchronized (dev) {
            sync();
            if (!appOnBus()) {
                return dev.stringDescriptor(index);
            }
            byte[] s = strings.get(index);
            return s == null ? null : s.clone();
        }
    }

    /**
     * While the application runs: SET_CONFIGURATION, SET_INTERFACE and GET_STATUS, and on interface 1 DFU_DETACH
     * (wValue = the host's detach timeout in ms, capped at {@link #DETACH_TIMEOUT_MS}), DFU_GETSTATUS and DFU_GETSTATE
     * answering appIDLE or appDETACH; anything else stalls. After the detach every request goes to the bootloader.
     */
    @Override
    public ControlReply control(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength, byte[] dataOut) {
        synchronized (dev) {
            sync();
            if (!appOnBus()) {
                return dev.control(bmRequestType, bRequest, wValue, wIndex, wLength, dataOut);
            }
            return runtimeControl(bmRequestType, bRequest, wValue, wIndex, wLength);
        }
    }

    private ControlReply runtimeControl(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength) {
        if (bmRequestType == 0x00 && bRequest == 9) {
            return ControlReply.ack(); // SET_CONFIGURATION
        }
        if (bmRequestType == 0x01 && bRequest == 11) {
            return wValue == 0 && (wIndex == 0 || wIndex == DFU_INTERFACE) ? ControlReply.ack() : ControlReply.stall();
        }
        if (bmRequestType == 0x80 && bRequest == 0) {
            return ControlReply.data(new byte[] {0, 0}); // GET_STATUS (device)
        }
        if (wIndex != DFU_INTERFACE) {
            return ControlReply.stall(); // the application's own interface has no class requests here
        }
        if (bmRequestType == 0x21 && bRequest == DETACH) {
            detaches++;
            if (willDetach) {
                rebootIntoBootloader();
            } else {
                appState = APP_DETACH;
                long wait = Math.min(wValue, DETACH_TIMEOUT_MS);
                detachDeadline = SimClock.saturatedAdd(dev.now(), Duration.ofMillis(wait).toNanos());
            }
            return ControlReply.ack();
        }
        if (bmRequestType == 0xA1 && bRequest == GETSTATUS && wLength >= 6) {
            return ControlReply.data(new byte[] {0, 0, 0, 0, (byte) appState, 0});
        }
        if (bmRequestType == 0xA1 && bRequest == GETSTATE && wLength >= 1) {
            return ControlReply.data(new byte[] {(byte) appState});
        }
        return ControlReply.stall();
    }

    /** A USB reset: in appDETACH (within the detach timeout) it starts the bootloader; otherwise the application carries on. */
    @Override
    public void busReset() {
        synchronized (dev) {
            sync();
            if (!appOnBus()) {
                dev.busReset();
            } else if (appState == APP_DETACH) {
                rebootIntoBootloader();
            }
        }
    }

    /** True while either face is on the bus: the application, or the bootloader it handed over to. */
    @Override
    public boolean connected() {
        synchronized (dev) {
            sync();
            return appOnBus() || dev.onBus;
        }
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    private static byte hi(int v) {
        return (byte) (v >> 8);
    }

    /** {@code RuntimeDfuDevice[}board id{@code ]}, with {@code , bitWillDetach} before the bracket when it detaches itself. */
    @Override
    public String toString() {
        return "RuntimeDfuDevice[" + board.id() + (willDetach ? ", bitWillDetach" : "") + "]";
    }
}
