package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.ops.DfuDevice;

import java.util.Objects;
import java.util.function.Function;

/**
 * The driver of an open {@link DfuDevice}, for dfu4j's own modules and tests only (this package is
 * exported to them alone): {@code DfuDevice} keeps its driver package-private, so that nothing in the
 * public API can send requests around its write gate and state tracking, and registers this lookup
 * when its class is initialised. The gate tests use it to prove that even the driver cannot write
 * what the gate refused.
 */
public final class DeviceDrivers {
    private static volatile Function<DfuDevice, DfuDriver> lookup;

    private DeviceDrivers() {
    }

    /** Called once by {@code DfuDevice}'s static initialiser; later calls are ignored. */
    public static synchronized void install(Function<DfuDevice, DfuDriver> driverOf) {
        if (lookup == null) {
            lookup = Objects.requireNonNull(driverOf);
        }
    }

    /** The driver {@code device} sends its requests through. */
    public static DfuDriver of(DfuDevice device) {
        Objects.requireNonNull(device, "device");
        return lookup.apply(device); // an instance exists, so DfuDevice's initialiser has run
    }
}
