package io.github.dfu4j.usbvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/** {@link RawGadget} over {@code /dev/raw-gadget}: libc open/ioctl/close through JNA. */
public final class JnaRawGadget implements RawGadget {

    /** The few libc calls needed; LastErrorException carries errno. */
    interface LibC extends Library {
        int O_RDWR = 2;

        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, Pointer argument) throws LastErrorException;

        int ioctl(int fd, NativeLong request, NativeLong argument) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        String strerror(int errno);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private final int fd;
    private boolean closed;

    private JnaRawGadget(int fd) {
        this.fd = fd;
    }

    /** Opens the raw_gadget device node (normally {@code /dev/raw-gadget}). */
    public static JnaRawGadget open(Path device) throws RawGadgetException {
        try {
            return new JnaRawGadget(Holder.LIBC.open(device.toString(), LibC.O_RDWR));
        } catch (LastErrorException e) {
            throw failure("open " + device, e);
        }
    }

    private static RawGadgetException failure(String operation, LastErrorException e) {
        int errno = e.getErrorCode();
        String text;
        try {
            text = Holder.LIBC.strerror(errno);
        } catch (RuntimeException | LinkageError ignored) {
            text = "";
        }
        return new RawGadgetException(operation, errno, text);
    }

    private int ioctl(String operation, long request, Pointer argument) throws RawGadgetException {
        try {
            return Holder.LIBC.ioctl(fd, new NativeLong(request), argument);
        } catch (LastErrorException e) {
            throw failure(operation, e);
        }
    }

    private int ioctl(String operation, long request, long value) throws RawGadgetException {
        try {
            return Holder.LIBC.ioctl(fd, new NativeLong(request), new NativeLong(value));
        } catch (LastErrorException e) {
            throw failure(operation, e);
        }
    }

    private static Memory memoryOf(byte[] bytes) {
        Memory m = new Memory(Math.max(1, bytes.length));
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    @Override
    public void init(String driverName, String deviceName, RawGadgetAbi.Speed speed) throws RawGadgetException {
        ioctl("USB_RAW_IOCTL_INIT", RawGadgetAbi.IOCTL_INIT, memoryOf(RawGadgetAbi.initStruct(driverName, deviceName, speed)));
    }

    @Override
    public void run() throws RawGadgetException {
        ioctl("USB_RAW_IOCTL_RUN", RawGadgetAbi.IOCTL_RUN, 0);
    }

    @Override
    public RawGadgetEvent fetchEvent() throws RawGadgetException {
        byte[] raw = new byte[RawGadgetAbi.EVENT_HEADER_SIZE + RawGadgetAbi.SETUP_PACKET_SIZE];
        raw[4] = RawGadgetAbi.SETUP_PACKET_SIZE; // u32 length (little endian): room for a setup packet
        Memory m = memoryOf(raw);
        ioctl("USB_RAW_IOCTL_EVENT_FETCH", RawGadgetAbi.IOCTL_EVENT_FETCH, m);
        m.read(0, raw, 0, raw.length);
        return RawGadgetAbi.decodeEvent(raw);
    }

    @Override
    public void ep0Write(byte[] data, boolean zeroLengthPacket) throws RawGadgetException {
        byte[] io = RawGadgetAbi.ep0Io(zeroLengthPacket ? RawGadgetAbi.IO_FLAGS_ZERO : 0, data, data.length);
        ioctl("USB_RAW_IOCTL_EP0_WRITE", RawGadgetAbi.IOCTL_EP0_WRITE, memoryOf(io));
    }

    @Override
    public byte[] ep0Read(int length) throws RawGadgetException {
        Memory m = memoryOf(RawGadgetAbi.ep0Io(0, null, length));
        int got = ioctl("USB_RAW_IOCTL_EP0_READ", RawGadgetAbi.IOCTL_EP0_READ, m);
        if (got < 0 || got > length) {
            throw new RawGadgetException("USB_RAW_IOCTL_EP0_READ", RawGadgetException.EINVAL,
                    "returned " + got + " bytes for a " + length + "-byte data stage");
        }
        return m.getByteArray(RawGadgetAbi.EP_IO_HEADER_SIZE, got);
    }

    @Override
    public void ep0Stall() throws RawGadgetException {
        ioctl("USB_RAW_IOCTL_EP0_STALL", RawGadgetAbi.IOCTL_EP0_STALL, 0);
    }

    @Override
    public void configure() throws RawGadgetException {
        ioctl("USB_RAW_IOCTL_CONFIGURE", RawGadgetAbi.IOCTL_CONFIGURE, 0);
    }

    @Override
    public void vbusDraw(int twoMilliampUnits) throws RawGadgetException {
        ioctl("USB_RAW_IOCTL_VBUS_DRAW", RawGadgetAbi.IOCTL_VBUS_DRAW, twoMilliampUnits);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                Holder.LIBC.close(fd);
            } catch (LastErrorException ignored) {
                // closing detaches the gadget; an error here leaves nothing to undo
            }
        }
    }
}
