package io.github.dfu4j.sim;

import java.time.Duration;
import io.github.dfu4j.dfu.DfuRequest;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.stm32.RomQuirk;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How to build a simulated device. Immutable; start from {@link #defaults()} and use the
 * {@code with...} methods.
 *
 * <pre>{@code
 * SimOptions o = SimOptions.defaults()
 *         .withBoot0High(true)
 *         .withInitialMemory(FirmwareImage.of(Segment.of(0x08000000L, app)))
 *         .withFaults(FaultRule.nth(3, RequestMatcher.request(DfuRequest.DNLOAD), Fault.stall()));
 * }</pre>
 *
 * @param realTime        false: virtual clock (tests); true: real-time clock (the CLI)
 * @param timeScale       with a real-time clock, how much faster than wall time it runs (1.0 = real)
 * @param boot0High       the board's BOOT0 pin is held high: every reset and every leave comes back
 *                        into the bootloader
 * @param flashMode       {@code FlashMap#mode()} the device is made with ("dual" for
 *                        an F767 with nDBANK=0); empty = the factory default. An F767 follows nDBANK at
 *                        every reset afterwards ({@link SimulatedDevice#flashMode()})
 * @param initialMemory   bytes preloaded into the memories before the first connect (written
 *                        directly, not through the NOR rules)
 * @param faults          fault-injection rules, in priority order
 * @param disabledQuirks  ROM quirks of the profile to switch off (e.g. the H743 rev V wedge, to model a rev Y part)
 * @param usbTiming       bus-time model
 * @param serial          iSerialNumber; empty = a fixed per-personality default
 * @param traceLimit      newest trace entries kept (older ones are dropped)
 * @param readProtected   start with RDP level 1 (option byte RDP = 0xBB)
 * @param firmwareErrorAtStart the first GETSTATUS after enumeration reports (errFIRMWARE, dfuERROR),
 *                        as some F4 ROMs do (docs/reference/dfu.md §2.7 item 1)
 * @param addedQuirks     ROM quirks switched on in addition to the profile's, to build a misbehaving
 *                        variant of a personality (e.g. {@link RomQuirk#STALLS_GETSTATUS_WHILE_ERASING}
 *                        on an F405 models an STM32L4-style ROM); {@code disabledQuirks} wins
 * @param worstCaseTiming flash operations take the profile's maximum time instead of the typical one
 *                        (the F405 mass erase then takes its datasheet 32 s)
 * @param transferSize    wTransferSize to report and honour instead of the profile's (an STM32G4-like
 *                        ROM: 1024, larger DNLOADs stall); empty = the profile's
 * @param blockStride     the multiplier the firmware uses for block addresses,
 *                        {@code pointer + (wBlockNum - 2) * blockStride}; empty = wTransferSize (correct).
 *                        Anything else models a bootloader that mis-addresses block numbers (0: every
 *                        block lands at the pointer)
 * @param busyBehaviour   how an ST ROM treats requests while the flash is busy, instead of the profile's
 *                        ({@link BusyBehaviour#REPORT_DNBUSY}: a bootloader that erases and programs outside
 *                        its USB interrupt and keeps answering dfuDNBUSY); empty = the profile's. mboot
 *                        ignores it
 * @param portPath        the port path the board is plugged into, as transports and ports report it
 *                        ({@link io.github.dfu4j.transport.DeviceInfo#path()}); empty = {@code sim:} and the id.
 *                        Several boards at once each get their own (the CLI's {@code --sim a,b}: {@code sim:1}, ...)
 */
public record SimOptions(boolean realTime, double timeScale, boolean boot0High, String flashMode, FirmwareImage initialMemory,
                         List<FaultRule> faults, Set<RomQuirk> disabledQuirks, UsbTiming usbTiming, String serial,
                         int traceLimit, boolean readProtected, boolean firmwareErrorAtStart, Set<RomQuirk> addedQuirks,
                         boolean worstCaseTiming, OptionalInt transferSize, OptionalInt blockStride,
                         Optional<BusyBehaviour> busyBehaviour, String portPath) {

    public SimOptions {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be > 0: " + timeScale);
        }
        Objects.requireNonNull(flashMode, "flashMode");
        Objects.requireNonNull(initialMemory, "initialMemory");
        faults = List.copyOf(faults);
        disabledQuirks = disabledQuirks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(disabledQuirks));
        Objects.requireNonNull(usbTiming, "usbTiming");
        Objects.requireNonNull(serial, "serial");
        if (traceLimit < 0) {
            throw new IllegalArgumentException("negative trace limit");
        }
        addedQuirks = addedQuirks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(addedQuirks));
        Objects.requireNonNull(transferSize, "transferSize");
        Objects.requireNonNull(blockStride, "blockStride");
        Objects.requireNonNull(busyBehaviour, "busyBehaviour");
        Objects.requireNonNull(portPath, "portPath");
        if (transferSize.isPresent() && (transferSize.getAsInt() < 1 || transferSize.getAsInt() > 0xFFFF)) {
            throw new IllegalArgumentException("wTransferSize must be 1..65535: " + transferSize.getAsInt());
        }
        if (blockStride.isPresent() && blockStride.getAsInt() < 0) {
            throw new IllegalArgumentException("negative block stride: " + blockStride.getAsInt());
        }
    }

    /** Mutable copy for the {@code with...} methods. */
    private static final class Copy {
        boolean realTime;
        double timeScale;
        boolean boot0High;
        String flashMode;
        FirmwareImage initialMemory;
        List<FaultRule> faults;
        Set<RomQuirk> disabledQuirks;
        UsbTiming usbTiming;
        String serial;
        int traceLimit;
        boolean readProtected;
        boolean firmwareErrorAtStart;
        Set<RomQuirk> addedQuirks;
        boolean worstCaseTiming;
        OptionalInt transferSize;
        OptionalInt blockStride;
        Optional<BusyBehaviour> busyBehaviour;
        String portPath;

        Copy(SimOptions o) {
            realTime = o.realTime;
            timeScale = o.timeScale;
            boot0High = o.boot0High;
            flashMode = o.flashMode;
            initialMemory = o.initialMemory;
            faults = o.faults;
            disabledQuirks = o.disabledQuirks;
            usbTiming = o.usbTiming;
            serial = o.serial;
            traceLimit = o.traceLimit;
            readProtected = o.readProtected;
            firmwareErrorAtStart = o.firmwareErrorAtStart;
            addedQuirks = o.addedQuirks;
            worstCaseTiming = o.worstCaseTiming;
            transferSize = o.transferSize;
            blockStride = o.blockStride;
            busyBehaviour = o.busyBehaviour;
            portPath = o.portPath;
        }

        SimOptions build() {
            return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, faults, disabledQuirks, usbTiming,
                    serial, traceLimit, readProtected, firmwareErrorAtStart, addedQuirks, worstCaseTiming, transferSize,
                    blockStride, busyBehaviour, portPath);
        }
    }

    private SimOptions with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** Virtual clock, BOOT0 low, factory flash mode, empty memory, no faults, full-speed bus timing. */
    public static SimOptions defaults() {
        return new SimOptions(false, 1.0, false, "", FirmwareImage.of(), List.of(), Set.of(), UsbTiming.FULL_SPEED, "",
                10_000, false, false, Set.of(), false, OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), "");
    }

    /** A real-time clock running {@code scale} times faster than wall time. */
    public SimOptions withRealTime(double scale) {
        return with(c -> { c.realTime = true; c.timeScale = scale; });
    }

    /** A virtual clock (the default): device time moves only with sleeps, bus time and flash work, not with wall time. */
    public SimOptions withVirtualTime() {
        return with(c -> { c.realTime = false; c.timeScale = 1.0; });
    }

    /**
     * {@code true}: the BOOT0 pin (mboot: its DFU-entry condition) is held high, so after a reset or a leave the
     * chip boots what BOOT0 high selects through its option bytes, the bootloader on a factory-set part;
     * {@code false} (the default): what BOOT0 low selects, normally the application in flash.
     */
    public SimOptions withBoot0High(boolean high) {
        return with(c -> c.boot0High = high);
    }

    /**
     * The flash map the device is made with, by its mode name ({@code "single"} or {@code "dual"}, as the chip
     * offers; {@code ""} = the chip's factory default). Not checked here:
     * {@link SimulatedDevices#create(String, SimOptions)} throws {@link IllegalArgumentException} for a mode the
     * chip does not have, and for any mode other than the default on an mboot board.
     *
     * @throws NullPointerException if {@code mode} is null
     */
    public SimOptions withFlashMode(String mode) {
        return with(c -> c.flashMode = mode);
    }

    /**
     * Bytes written into the memories when the device is created, before the first connect, directly rather than
     * through the flash rules (replaces any earlier image; a state file's memories win over it).
     *
     * @throws NullPointerException if {@code image} is null
     */
    public SimOptions withInitialMemory(FirmwareImage image) {
        return with(c -> c.initialMemory = image);
    }

    /** Adds rules after the existing ones. */
    public SimOptions withFaults(FaultRule... rules) {
        List<FaultRule> all = new ArrayList<>(faults);
        all.addAll(List.of(rules));
        return with(c -> c.faults = all);
    }

    /**
     * Switches off one of the profile's ROM quirks, e.g. {@link RomQuirk#BANK2_ERASE_WEDGE} to model an H743 rev Y
     * rather than rev V; switching off a quirk the profile does not have changes nothing. Wins over
     * {@link #withQuirk}.
     *
     * @throws NullPointerException if {@code quirk} is null
     */
    public SimOptions withoutQuirk(RomQuirk quirk) {
        EnumSet<RomQuirk> off = EnumSet.noneOf(RomQuirk.class);
        off.addAll(disabledQuirks);
        off.add(quirk);
        return with(c -> c.disabledQuirks = off);
    }

    /** These options with another USB bus-time model ({@link UsbTiming#INSTANT} switches it off). */
    public SimOptions withUsbTiming(UsbTiming timing) {
        return with(c -> c.usbTiming = timing);
    }

    /**
     * The iSerialNumber string the device reports; {@code ""} = the personality's fixed default.
     *
     * @throws NullPointerException if {@code newSerial} is null
     */
    public SimOptions withSerial(String newSerial) {
        return with(c -> c.serial = newSerial);
    }

    /**
     * Keeps only the newest {@code limit} entries of the request trace (default 10,000; 0 records none).
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public SimOptions withTraceLimit(int limit) {
        return with(c -> c.traceLimit = limit);
    }

    /**
     * {@code true}: an ST ROM device starts at read-out protection level 1 (option byte RDP = 0xBB), so reads
     * are refused until a read-unprotect mass-erases it; mboot boards ignore it.
     */
    public SimOptions withReadProtection(boolean level1) {
        return with(c -> c.readProtected = level1);
    }

    /**
     * {@code true}: the device is created in dfuERROR with errFIRMWARE, so its first GETSTATUS reports that error,
     * as some F4 ROMs do (docs/reference/dfu.md §2.7 item 1), and a host must CLRSTATUS before it starts.
     */
    public SimOptions withFirmwareErrorAtStart(boolean on) {
        return with(c -> c.firmwareErrorAtStart = on);
    }

    /**
     * Switches a ROM quirk on in addition to the profile's: a misbehaving variant of this personality
     * (docs/stm32.md lists which quirk models which ROM).
     */
    public SimOptions withQuirk(RomQuirk quirk) {
        Objects.requireNonNull(quirk, "quirk");
        EnumSet<RomQuirk> on = EnumSet.noneOf(RomQuirk.class);
        on.addAll(addedQuirks);
        on.add(quirk);
        return with(c -> c.addedQuirks = on);
    }

    /** Flash operations take the profile's maximum time (datasheet worst case) instead of the typical time. */
    public SimOptions withWorstCaseTiming(boolean worst) {
        return with(c -> c.worstCaseTiming = worst);
    }

    /** Reports and honours this wTransferSize instead of the profile's (larger DNLOADs stall). */
    public SimOptions withTransferSize(int size) {
        return with(c -> c.transferSize = OptionalInt.of(size));
    }

    /**
     * The firmware addresses block n at {@code pointer + (n - 2) * stride} instead of using
     * wTransferSize: a bootloader that mis-addresses block numbers (0 = every block at the pointer).
     */
    public SimOptions withBlockStride(int stride) {
        return with(c -> c.blockStride = OptionalInt.of(stride));
    }

    /**
     * An ST ROM personality that treats requests during a flash operation this way instead of as its
     * profile says: {@link BusyBehaviour#REPORT_DNBUSY} keeps answering GETSTATUS with dfuDNBUSY and the
     * same bwPollTimeout (a bootloader that does the flash work outside its USB interrupt), so a host
     * waits bwPollTimeout between polls and can cancel between them.
     */
    public SimOptions withBusyBehaviour(BusyBehaviour behaviour) {
        Objects.requireNonNull(behaviour, "behaviour");
        return with(c -> c.busyBehaviour = Optional.of(behaviour));
    }

    /** The port path the board reports; empty = {@code sim:} and the personality's id. */
    @Override
    public String portPath() {
        return portPath;
    }

    /** The board sits at this port path instead of {@code sim:} and its id (several boards at once). */
    public SimOptions withPortPath(String path) {
        Objects.requireNonNull(path, "path");
        return with(c -> c.portPath = path);
    }

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
}
