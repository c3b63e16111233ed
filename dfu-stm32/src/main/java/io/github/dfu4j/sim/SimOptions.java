package io.github.dfu4j.sim;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.stm32.RomQuirk;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
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
 * @param flashMode       {@link io.github.dfu4j.stm32.FlashMap#mode()} to use ("dual" for an F767 with
 *                        nDBANK=0); empty = the factory default
 * @param initialMemory   bytes preloaded into the memories before the first connect (written
 *                        directly, not through the NOR rules)
 * @param faults          fault-injection rules, in priority order
 * @param disabledQuirks  ROM quirks of the profile to switch off (e.g. the H743 rev V wedge, to model a rev Y part)
 * @param usbTiming       bus-time model
 * @param serial          iSerialNumber; empty = a fixed per-personality default
 * @param traceLimit      newest trace entries kept (older ones are dropped)
 * @param readProtected   start with RDP level 1 (option byte RDP = 0xBB)
 * @param firmwareErrorAtStart the first GETSTATUS after enumeration reports (errFIRMWARE, dfuERROR),
 *                        as some F4 ROMs do (fact sheet §2.7 item 1)
 */
public record SimOptions(boolean realTime, double timeScale, boolean boot0High, String flashMode, FirmwareImage initialMemory,
                         List<FaultRule> faults, Set<RomQuirk> disabledQuirks, UsbTiming usbTiming, String serial,
                         int traceLimit, boolean readProtected, boolean firmwareErrorAtStart) {

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
    }

    /** Virtual clock, BOOT0 low, factory flash mode, empty memory, no faults, full-speed bus timing. */
    public static SimOptions defaults() {
        return new SimOptions(false, 1.0, false, "", FirmwareImage.of(), List.of(), Set.of(), UsbTiming.FULL_SPEED, "",
                10_000, false, false);
    }

    /** A real-time clock running {@code scale} times faster than wall time. */
    public SimOptions withRealTime(double scale) {
        return new SimOptions(true, scale, boot0High, flashMode, initialMemory, faults, disabledQuirks, usbTiming, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withVirtualTime() {
        return new SimOptions(false, 1.0, boot0High, flashMode, initialMemory, faults, disabledQuirks, usbTiming, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withBoot0High(boolean high) {
        return new SimOptions(realTime, timeScale, high, flashMode, initialMemory, faults, disabledQuirks, usbTiming, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withFlashMode(String mode) {
        return new SimOptions(realTime, timeScale, boot0High, mode, initialMemory, faults, disabledQuirks, usbTiming, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withInitialMemory(FirmwareImage image) {
        return new SimOptions(realTime, timeScale, boot0High, flashMode, image, faults, disabledQuirks, usbTiming, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    /** Adds rules after the existing ones. */
    public SimOptions withFaults(FaultRule... rules) {
        List<FaultRule> all = new ArrayList<>(faults);
        all.addAll(List.of(rules));
        return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, all, disabledQuirks, usbTiming, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withoutQuirk(RomQuirk quirk) {
        EnumSet<RomQuirk> off = EnumSet.noneOf(RomQuirk.class);
        off.addAll(disabledQuirks);
        off.add(quirk);
        return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, faults, off, usbTiming, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withUsbTiming(UsbTiming timing) {
        return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, faults, disabledQuirks, timing, serial,
                traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withSerial(String newSerial) {
        return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, faults, disabledQuirks, usbTiming,
                newSerial, traceLimit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withTraceLimit(int limit) {
        return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, faults, disabledQuirks, usbTiming,
                serial, limit, readProtected, firmwareErrorAtStart);
    }

    public SimOptions withReadProtection(boolean level1) {
        return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, faults, disabledQuirks, usbTiming,
                serial, traceLimit, level1, firmwareErrorAtStart);
    }

    public SimOptions withFirmwareErrorAtStart(boolean on) {
        return new SimOptions(realTime, timeScale, boot0High, flashMode, initialMemory, faults, disabledQuirks, usbTiming,
                serial, traceLimit, readProtected, on);
    }
}
