package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.UsbBackend.OpenedDevice;
import io.github.dfu4j.libusb.UsbBackend;
import io.github.dfu4j.libusb.UsbBackends;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every device the filters match, each in its own {@link DeviceSession} (for {@code --all}): the USB
 * devices of one backend, or the boards of {@code --sim ID,ID,...} with their own state files. The same
 * selection as for one device (SimBoards, the USB backend's filter), so {@code --all --sim} and
 * {@code --all} on USB differ only in where the devices are.
 */
final class DeviceSessions implements AutoCloseable {
    /**
     * One matching device: opened ({@code session}) or not ({@code failure}, reported in its line).
     *
     * @param path   its port path
     * @param serial its serial number
     */
    record Target(String path, String serial, DeviceSession session, IOException failure) {
    }

    private final List<Target> targets;
    private final UsbBackend backend;

    private DeviceSessions(List<Target> targets, UsbBackend backend) {
        this.targets = List.copyOf(targets);
        this.backend = backend;
    }

    List<Target> targets() {
        return targets;
    }

    /** Opens every matching device; none matching is exit 4 as for one device. */
    static DeviceSessions open(DeviceOptions options, String alt) throws IOException {
        if (options.replay != null) {
            throw new CliException(ExitCode.USAGE, "--all flashes USB devices or --sim boards; it cannot be combined with --replay");
        }
        options.check();
        DeviceSession.waitForDevice(options, alt);
        List<Target> out = new ArrayList<>();
        if (options.simulated()) {
            try {
                for (SimBoards.Board b : SimBoards.matching(options, alt)) {
                    var d = SimBoards.describe(b);
                    Interruption.sessionOpening(); // the session's close() ends it
                    try {
                        out.add(new Target(d.device().path(), d.device().serial(), DeviceSession.openBoard(options, b, true), null));
                    } catch (IOException e) {
                        Interruption.sessionClosed();
                        out.add(new Target(d.device().path(), d.device().serial(), null, e));
                    } catch (RuntimeException e) {
                        Interruption.sessionClosed();
                        throw e;
                    }
                }
            } catch (IOException | RuntimeException e) {
                new DeviceSessions(out, null).close();
                throw e;
            }
            return new DeviceSessions(out, null);
        }
        UsbBackend usb = UsbBackends.open(DeviceSession.backendChoice(options.backend));
        try {
            DeviceFilter filter = SimBoards.filter(options, alt);
            List<OpenedDevice> devices = usb.openAll(filter, Duration.ofSeconds(options.waitSeconds));
            if (devices.isEmpty()) {
                throw new CliException(ExitCode.NO_DEVICE, "no DFU device matches " + filter.describe());
            }
            return of(options, devices, usb);
        } catch (IOException | RuntimeException e) {
            usb.close();
            throw e;
        }
    }

    /** Devices already opened on {@code backend} (closed with the sessions; null when the caller owns it). */
    static DeviceSessions of(DeviceOptions options, List<OpenedDevice> devices, UsbBackend backend) {
        List<Target> out = new ArrayList<>();
        for (OpenedDevice d : devices) {
            out.add(d.isOpen() ? new Target(d.device().device().path(), d.device().device().serial(), DeviceSession.ofOpened(options, d.transport()), null)
                    : new Target(d.device().device().path(), d.device().device().serial(), null, d.failure()));
        }
        return new DeviceSessions(out, backend);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Target t : targets) {
            if (t.session() != null) {
                try {
                    t.session().close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (backend != null) {
            backend.close();
        }
        if (first != null) {
            throw first;
        }
    }
}
