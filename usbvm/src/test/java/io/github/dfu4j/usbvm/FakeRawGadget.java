package io.github.dfu4j.usbvm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * An in-memory raw_gadget: events and OUT data stages are queued by the test; every ioctl the
 * bridge makes is recorded, and the kernel's rule that exactly one action answers each SETUP is
 * enforced (a second answer, or an answer in the wrong direction, fails like the driver's EBUSY).
 */
class FakeRawGadget implements RawGadget {
    final Deque<RawGadgetEvent> events = new ArrayDeque<>();
    final Deque<byte[]> outData = new ArrayDeque<>();
    final List<String> ops = new ArrayList<>();
    final List<byte[]> written = new ArrayList<>();
    int failNextEp0WithErrno;
    boolean closed;
    private SetupPacket pending;

    void queueSetup(int type, int request, int value, int index, int length) {
        events.add(RawGadgetEvent.control(new SetupPacket(type, request, value, index, length)));
    }

    /**
     * One control request through {@code bridge}, delivered the way the kernel does (through EVENT_FETCH, so
     * the fake knows it is pending); {@code out}, if not null, is the host's OUT data stage.
     */
    void exchange(ControlBridge bridge, int type, int request, int value, int index, int length, byte[] out) {
        if (out != null) {
            outData.add(out);
        }
        queueSetup(type, request, value, index, length);
        try {
            bridge.handle(fetchEvent());
        } catch (RawGadgetException e) {
            throw new AssertionError(e);
        }
    }

    /** The bytes of the bridge's last IN data stage. */
    byte[] lastWritten() {
        return written.get(written.size() - 1);
    }

    @Override
    public void init(String driverName, String deviceName, RawGadgetAbi.Speed speed) {
        ops.add("INIT " + driverName + " " + deviceName + " " + speed);
    }

    @Override
    public void run() {
        ops.add("RUN");
    }

    @Override
    public RawGadgetEvent fetchEvent() throws RawGadgetException {
        if (pending != null) {
            throw new AssertionError("request " + pending + " was never answered");
        }
        RawGadgetEvent e = events.poll();
        if (e == null) {
            throw new RawGadgetException("USB_RAW_IOCTL_EVENT_FETCH", RawGadgetException.EINVAL, "no more scripted events");
        }
        if (e.kind() == RawGadgetEvent.Kind.CONTROL) {
            pending = e.setup();
        }
        return e;
    }

    private SetupPacket answer(String op, boolean needIn) throws RawGadgetException {
        if (failNextEp0WithErrno != 0) {
            int errno = failNextEp0WithErrno;
            failNextEp0WithErrno = 0;
            pending = null;
            ops.add(op + " -> errno " + errno);
            throw new RawGadgetException(op, errno, "scripted");
        }
        if (pending == null) {
            throw new RawGadgetException(op, RawGadgetException.EBUSY, "no request pending");
        }
        // raw_gadget: an IN request with a data stage is answered by EP0_WRITE, everything else by EP0_READ.
        boolean inPending = pending.isIn() && pending.length() > 0;
        if (needIn != inPending) {
            throw new RawGadgetException(op, RawGadgetException.EBUSY, "wrong direction for " + pending);
        }
        SetupPacket s = pending;
        pending = null;
        return s;
    }

    @Override
    public void ep0Write(byte[] data, boolean zeroLengthPacket) throws RawGadgetException {
        SetupPacket s = answer("EP0_WRITE", true);
        if (data.length > s.length()) {
            throw new AssertionError("IN data stage of " + data.length + " bytes for wLength " + s.length());
        }
        written.add(data.clone());
        ops.add("EP0_WRITE " + data.length + (zeroLengthPacket ? " zlp" : ""));
    }

    @Override
    public byte[] ep0Read(int length) throws RawGadgetException {
        SetupPacket s = answer("EP0_READ", false);
        if (length != (s.isIn() ? 0 : s.length())) {
            throw new AssertionError("EP0_READ of " + length + " for " + s);
        }
        byte[] data = length == 0 ? new byte[0] : outData.remove();
        ops.add("EP0_READ " + length);
        return Arrays.copyOf(data, Math.min(length, data.length));
    }

    @Override
    public void ep0Stall() throws RawGadgetException {
        if (pending == null) {
            throw new RawGadgetException("EP0_STALL", RawGadgetException.EBUSY, "no request pending");
        }
        pending = null;
        ops.add("EP0_STALL");
    }

    @Override
    public void configure() {
        ops.add("CONFIGURE");
    }

    @Override
    public void vbusDraw(int twoMilliampUnits) {
        ops.add("VBUS_DRAW " + twoMilliampUnits);
    }

    @Override
    public void close() {
        closed = true;
    }
}
