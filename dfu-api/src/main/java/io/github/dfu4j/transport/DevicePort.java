package io.github.dfu4j.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a device is plugged in, followed across re-enumeration: after a leave, an option-byte write,
 * a reset or a cable pull the device leaves the bus and comes back (in DFU mode, or as its
 * application) with a new address, maybe other IDs and serial, but at the same port. A port is
 * taken from an opened transport ({@link DfuTransport#port()}) and remembers which enumeration that
 * transport belongs to, so that a device which has not left yet is not mistaken for the one that
 * comes back. libusb implements it by port path (bus and port numbers), the simulator by its board.
 *
 * <pre>{@code
 * DevicePort port = transport.port();
 * device.leave(OptionalLong.empty(), Duration.ZERO);
 * transport.close();                                    // an open handle can keep the OS from re-enumerating
 * Optional<PortState> app = port.awaitApplication(Duration.ofSeconds(10));
 * }</pre>
 *
 * Waits run on {@link #time()} (a simulator's virtual clock takes no wall time). Every method throws
 * {@link TransportException} of kind {@link TransportException.Kind#NOT_SUPPORTED} when this port
 * cannot look at the bus (a replayed session, a transport that does not know where its device is).
 */
public interface DevicePort {

    /**
     * Where the device sits, e.g. "1-2.3" (bus-port path) or "sim:stm32f405": the transport's {@link DeviceInfo#path()}.
     *
     * @return the port path, never {@code null}
     */
    String path();

    /**
     * The clock the waits run on: the transport's.
     *
     * @return the clock, never {@code null}
     */
    TimeSource time();

    /**
     * What is at the port now.
     *
     * @return the device at the port, or a state of {@link PortState.Mode#EMPTY} when nothing is there
     * @throws TransportException when the bus cannot be looked at ({@code NOT_SUPPORTED} for a port that never can)
     */
    PortState state() throws TransportException;

    /**
     * Waits up to {@code timeout} for the device in DFU mode at this port, as a new enumeration (not
     * the one the port was taken from), and opens a transport to it; the caller owns the transport.
     * Closes the transport the port was taken from first: an open handle can keep the OS from
     * re-enumerating the device. A zero timeout opens what is there now.
     *
     * @param timeout how long to wait, not negative; {@link Duration#ZERO} for one look
     * @return the opened transport, or empty when no device came back in DFU mode in time (after a
     *         leave: the application presumably started)
     * @throws TransportException when the bus cannot be looked at, or the device came back but cannot be
     *        opened (e.g. {@code ACCESS})
     */
    Optional<DfuTransport> awaitDfu(Duration timeout) throws TransportException;

    /**
     * Waits up to {@code timeout} for the device's application at this port: any device that is not in
     * DFU mode ({@link PortState.Mode#RUNTIME} or {@link PortState.Mode#OTHER}); its identity may
     * differ from the bootloader's. Closes the transport the port was taken from first, like
     * {@link #awaitDfu}.
     *
     * @param timeout how long to wait, not negative; {@link Duration#ZERO} for one look
     * @return what appeared, or empty when nothing but the bootloader (or nothing) was there in time;
     *         {@link #state()} then says which
     * @throws TransportException when the bus cannot be looked at
     */
    Optional<PortState> awaitApplication(Duration timeout) throws TransportException;

    /**
     * A port that cannot look at the bus: every method but {@link #path()} and {@link #time()} throws
     * {@link TransportException.Kind#NOT_SUPPORTED} with {@code why}. The default of
     * {@link DfuTransport#port()}.
     *
     * @param path the port path to report, e.g. the device's {@link DeviceInfo#path()}
     * @param time the clock to report
     * @param why  the message of the {@code NOT_SUPPORTED} exceptions, saying why this port cannot look
     * @return the port
     * @throws NullPointerException when an argument is {@code null}
     */
    static DevicePort unsupported(String path, TimeSource time, String why) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(why, "why");
        return new DevicePort() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public TimeSource time() {
                return time;
            }

            @Override
            public PortState state() throws TransportException {
                throw new TransportException(TransportException.Kind.NOT_SUPPORTED, why);
            }

            @Override
            public Optional<DfuTransport> awaitDfu(Duration timeout) throws TransportException {
                throw new TransportException(TransportException.Kind.NOT_SUPPORTED, why);
            }

            @Override
            public Optional<PortState> awaitApplication(Duration timeout) throws TransportException {
                throw new TransportException(TransportException.Kind.NOT_SUPPORTED, why);
            }

            @Override
            public String toString() {
                return "DevicePort[" + path + ", unsupported]";
            }
        };
    }
}
