package io.github.dfu4j.libusb;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * No device of the awaited kind appeared at a port path in time (see {@link UsbBackend#awaitDevice}).
 * {@link #lastSeen()} is what is there when the wait ended, if anything: a device that came back in DFU mode
 * instead of starting its application is the usual story.
 */
final class DeviceWaitTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final transient Set<PortDevice.Kind> wanted;
    private final transient PortDevice lastSeen;
    private final Duration waited;

    DeviceWaitTimeoutException(String path, Set<PortDevice.Kind> wanted, PortDevice lastSeen, Duration waited) {
        super(message(path, wanted, lastSeen, waited));
        this.path = path;
        this.wanted = Set.copyOf(wanted);
        this.lastSeen = lastSeen;
        this.waited = waited;
    }

    private static String message(String path, Set<PortDevice.Kind> wanted, PortDevice lastSeen, Duration waited) {
        String what = wanted.equals(PortDevice.APPLICATION) ? "no device outside DFU mode (the application)"
                : wanted.equals(PortDevice.BOOTLOADER) ? "no device in DFU mode"
                : "no device with " + String.join(" or ", wanted.stream().map(PortDevice.Kind::text).sorted().toList());
        String there = lastSeen == null ? "the port is empty"
                : "there now: " + lastSeen.vidPid() + " (" + lastSeen.kind().text() + ")";
        return what + " appeared at path " + path + " within " + waited.toMillis() + " ms; " + there;
    }

    /** The port path that was watched. */
    public String path() {
        return path;
    }

    /** The kinds that were awaited. */
    public Set<PortDevice.Kind> wanted() {
        return wanted == null ? Set.of() : wanted;
    }

    /** What was at the port when the wait ended (a device of another kind), or empty when it was empty. */
    public Optional<PortDevice> lastSeen() {
        return Optional.ofNullable(lastSeen);
    }

    /** How long it waited. */
    public Duration waited() {
        return waited;
    }
}
