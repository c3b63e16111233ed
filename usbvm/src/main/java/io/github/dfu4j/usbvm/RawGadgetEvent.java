package io.github.dfu4j.usbvm;

/**
 * One event from USB_RAW_IOCTL_EVENT_FETCH.
 *
 * @param kind  what happened
 * @param code  the raw {@code usb_raw_event_type} value (kept for events this code does not know)
 * @param setup the setup packet of a {@link Kind#CONTROL} event, else null
 */
public record RawGadgetEvent(Kind kind, int code, SetupPacket setup) {

    /**
     * {@code enum usb_raw_event_type}. Linux 6.1 only emits CONNECT and CONTROL; SUSPEND, RESUME,
     * RESET and DISCONNECT were added in later kernels.
     */
    public enum Kind {
        INVALID, CONNECT, CONTROL, SUSPEND, RESUME, RESET, DISCONNECT, UNKNOWN;

        static Kind of(int code) {
            Kind[] known = values();
            return code >= 0 && code < UNKNOWN.ordinal() ? known[code] : UNKNOWN;
        }
    }

    public RawGadgetEvent {
        if ((kind == Kind.CONTROL) != (setup != null)) {
            throw new IllegalArgumentException("a setup packet comes with CONTROL events only");
        }
    }

    public static RawGadgetEvent control(SetupPacket setup) {
        return new RawGadgetEvent(Kind.CONTROL, Kind.CONTROL.ordinal(), setup);
    }

    public static RawGadgetEvent of(Kind kind) {
        return new RawGadgetEvent(kind, kind.ordinal(), null);
    }
}
