package io.github.dfu4j.sim;

import java.util.Objects;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.transport.DfuTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A simulated STM32 board with a DfuSe bootloader: its memories, its clock, and the bus. Get one
 * from {@link SimulatedDevices}; talk to it through {@link #connect()} like to a real device;
 * inspect it directly for tests.
 *
 * <pre>{@code
 * SimulatedDevice dev = SimulatedDevices.create("stm32f405", SimOptions.defaults());
 * try (DfuTransport t = dev.connect()) {
 *     // drive DFU requests through t
 * }
 * byte[] flash = dev.readMemory(0x08000000L, 1024);
 * }</pre>
 *
 * Thread-safe: the device model is synchronized; one transport should still be driven by one
 * thread at a time.
 */
public final class SimulatedDevice {
    private final SimBootloader device;

    SimulatedDevice(SimBootloader device) {
        this.device = device;
    }

    SimBootloader model() {
        return device;
    }

    /** The personality id, e.g. "stm32f405". */
    public String id() {
        return device.personality.id();
    }

    /** One line naming the chip or board and its bootloader, as {@link SimulatedDevices#ids()} lists it. */
    public String description() {
        return device.personality.description();
    }

    static {
        Stm32Internals.registerSimAccess(new Stm32Internals.SimAccess() {
            @Override
            public ChipProfile chip(SimulatedDevice d) {
                return d.chip();
            }

            @Override
            public Optional<MbootBoard> mbootBoard(SimulatedDevice d) {
                return d.mbootBoard();
            }
        });
    }

    /** The chip's profile (package-private: not exported; class-path users call {@link Stm32Internals#chipOf}). */
    ChipProfile chip() {
        return device.chip;
    }

    /** The mboot board, for mboot personalities. */
    Optional<MbootBoard> mbootBoard() {
        return device.personality.mboot();
    }

    /** The options the device was created with (never null; they do not change afterwards). */
    public SimOptions options() {
        return device.options;
    }

    /**
     * The {@code FlashMap#mode()} of the flash map the bootloader runs with now.
     * Usually {@code options().flashMode()} (or the chip's default), but an F76x ROM takes the map its
     * nDBANK option bit selects at every reset.
     */
    public String flashMode() {
        synchronized (device) {
            device.sync();
            return device.flashMode();
        }
    }

    /**
     * A transport to the bootloader. If the board is running its application (or waiting to
     * re-enumerate), the simulated user first puts it into DFU mode (reset with BOOT0/DFU entry).
     */
    public DfuTransport connect() {
        device.enterDfu();
        return new SimTransport(device, device.awaitDfu(Duration.ZERO).orElseThrow());
    }

    /** The device side for a USB gadget bridge (the same model the transport drives). */
    public UsbControlEndpoint endpoint() {
        return device;
    }

    /** The device clock (virtual or real-time), also every transport's {@code time()}. */
    public SimClock clock() {
        return device.clock;
    }

    /** Device time since creation. */
    public Duration elapsed() {
        return device.clock.elapsed();
    }

    /**
     * Bytes at {@code address} straight from the simulated memory (no protocol, no read protection).
     *
     * @throws IllegalArgumentException when the range is not inside one memory of the device
     */
    public byte[] readMemory(long address, int length) {
        return device.peek(address, length);
    }

    /** Writes bytes straight into the simulated memory (no NOR rules): test setup, "factory programming". */
    public void writeMemory(long address, byte[] data) {
        device.poke(address, data);
    }

    /** Writes every segment of an image straight into memory. */
    public void writeMemory(Iterable<Segment> segments) {
        for (Segment s : segments) {
            device.poke(s.address(), s.bytes());
        }
    }

    /** True when every byte of the range is erased (0xFF). */
    public boolean isErased(long address, int length) {
        byte[] b = device.peek(address, length);
        for (byte x : b) {
            if (x != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** The application the chip runs, when it left the bootloader and started one. */
    public Optional<RunningApplication> runningApplication() {
        synchronized (device) {
            device.sync();
            return Optional.ofNullable(device.app);
        }
    }

    /**
     * Waits on the device clock (a virtual clock jumps, a real-time one sleeps) until the chip runs its
     * application, at most {@code timeout}: what a host sees as the application enumerating after a
     * leave. Empty when it did not start: the chip is still, or again, in the bootloader (BOOT0 high,
     * no valid vector table at the leave address).
     */
    public Optional<RunningApplication> awaitApplication(Duration timeout) {
        return SimPort.awaitApplication(device, timeout);
    }

    /** True while the bootloader is enumerated on the bus. */
    public boolean inDfuMode() {
        return device.connected();
    }

    /** The DFU state right now (device side). */
    public DfuState state() {
        synchronized (device) {
            device.sync();
            return device.state;
        }
    }

    /** The DFU status right now (device side): what the next GETSTATUS would report as bStatus. */
    public DfuStatus status() {
        synchronized (device) {
            device.sync();
            return device.status;
        }
    }

    /** The DfuSe address pointer. */
    public long addressPointer() {
        synchronized (device) {
            return device.pointer;
        }
    }

    /** A snapshot of the device's counters since it was created (never reset, a new object on each call). */
    public SimStats stats() {
        return device.stats();
    }

    /** The newest requests, oldest first (at most {@link SimOptions#traceLimit()}). */
    public List<TraceEntry> trace() {
        return device.trace();
    }

    /** Adds a fault rule after the existing ones. */
    public void addFault(FaultRule rule) {
        device.addFault(rule);
    }

    /** Removes every fault rule, those from {@link SimOptions#faults()} included, and their match counts. */
    public void clearFaults() {
        device.clearFaults();
    }

    /**
     * Saves memories, option bytes and boot state to a file (format in docs/simulator.md), so a later
     * process can continue with {@link SimulatedDevices#load}.
     */
    public void save(Path file) throws IOException {
        synchronized (device) {
            device.sync();
            StateFile.save(device, file);
        }
    }

    /** {@code SimulatedDevice[}personality id{@code ]}, e.g. {@code SimulatedDevice[stm32f405]}. */
    @Override
    public String toString() {
        return "SimulatedDevice[" + id() + "]";
    }

    /**
     * Counters of what the simulated device did, for tests and the CLI's summary.
     *
     * @param requests      DFU class requests received
     * @param sectorErases  page/sector erases executed (mass erase not included)
     * @param massErases    mass erases executed
     * @param writes        data blocks executed (including failed ones)
     * @param bytesWritten  bytes of data blocks that were programmed successfully
     * @param uploads       UPLOAD requests answered with data
     * @param bytesRead     bytes returned by UPLOAD
     * @param failedOps     commands that ended in dfuERROR
     * @param enumerations  times the device appeared on the bus (1 + re-enumerations)
     */
    public record SimStats(long requests, long sectorErases, long massErases, long writes, long bytesWritten, long uploads,
                           long bytesRead, long failedOps, long enumerations) {
    }

    /**
     * One line of the simulated device's request trace.
     *
     * @param request     what arrived
     * @param result      how the control transfer ended
     * @param dataLength  bytes returned (IN) or accepted (OUT)
     * @param fault       the injected fault that decided the result, if any
     * @param stateAfter  device state afterwards
     * @param statusAfter device status afterwards
     */
    public record TraceEntry(SimRequest request, Result result, int dataLength, Optional<Fault> fault, DfuState stateAfter,
                             DfuStatus statusAfter) {

        /** How a control transfer ended, as the host sees it. */
        public enum Result {
            /** An OUT request acknowledged. */
            ACK,
            /** An IN request answered with data. */
            DATA,
            /** The control pipe stalled. */
            STALL,
            /** No answer. */
            TIMEOUT,
            /** The device was not on the bus. */
            NO_DEVICE
        }

        public TraceEntry {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(fault, "fault");
            Objects.requireNonNull(stateAfter, "stateAfter");
            Objects.requireNonNull(statusAfter, "statusAfter");
        }

        /**
         * The request, {@code ->} the result (with the data length for DATA), the injected fault if any, then
         * {@code =>} state/status, e.g. {@code #3 GETSTATUS wValue=0 wLength=6 in DFU_IDLE -> DATA(6) => DFU_IDLE/OK}.
         */
        @Override
        public String toString() {
            return request + " -> " + result + (result == Result.DATA ? "(" + dataLength + ")" : "")
                    + fault.map(f -> " injected " + f).orElse("") + " => " + stateAfter + "/" + statusAfter;
        }
    }
}
