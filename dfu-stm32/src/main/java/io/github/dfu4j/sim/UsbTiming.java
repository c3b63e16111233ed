package io.github.dfu4j.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a control transfer takes on the simulated bus:
 * {@code perTransfer + ceil(dataBytes / packetSize) * perPacket}.
 *
 * @param perTransfer fixed cost of one control transfer: SETUP and status stages plus host
 *                    controller scheduling and the host stack's round trip
 * @param perPacket   bus time of one full data-stage packet
 * @param packetSize  bMaxPacketSize0
 */
public record UsbTiming(Duration perTransfer, Duration perPacket, int packetSize) {

    /**
     * USB full speed, 12 Mbit/s, 64-byte EP0 packets (every ST ROM and mboot, docs/reference/stm32.md §6).
     * <ul>
     * <li>perPacket 77 µs: USB 2.0 §5.5.4 allows at most 13 control transactions with a 64-byte
     *     payload per 1 ms full-speed frame (64 payload bytes plus about 45 bytes of token, handshake,
     *     CRC, sync and inter-packet overhead at 83 ns per bit), so 1 ms / 13.</li>
     * <li>perTransfer 1 ms: host controllers schedule full-speed control transfers per 1 ms frame
     *     and a synchronous libusb control transfer rarely completes faster than about one frame.
     *     This is an assumption [U], not a measurement: no per-transfer timing of an ST ROM was found
     *     (docs/reference/stm32.md §6 "[gap]"). Calibrate on hardware and pass your own {@code UsbTiming}.</li>
     * </ul>
     * A 2048-byte DNLOAD (32 packets) therefore costs 1 + 32 x 0.077 = 3.5 ms of bus time.
     */
    public static final UsbTiming FULL_SPEED = new UsbTiming(Duration.ofMillis(1), Duration.ofNanos(76_923), 64);

    /** No bus time at all: transfers are instantaneous (for tests that count only device time). */
    public static final UsbTiming INSTANT = new UsbTiming(Duration.ZERO, Duration.ZERO, 64);

    public UsbTiming {
        Objects.requireNonNull(perTransfer, "perTransfer");
        Objects.requireNonNull(perPacket, "perPacket");
        if (perTransfer.isNegative() || perPacket.isNegative() || packetSize <= 0) {
            throw new IllegalArgumentException("negative times or packet size: " + this);
        }
    }

    /** Bus time of one control transfer carrying {@code dataBytes} in its data stage. */
    public Duration transferTime(int dataBytes) {
        long packets = (Math.max(0, dataBytes) + packetSize - 1) / packetSize;
        return perTransfer.plus(perPacket.multipliedBy(packets));
    }
}
