package io.github.dfu4j.libusb;

import io.github.dfu4j.transport.TransportException;
import java.util.Objects;

/**
 * A DFU device is visible but cannot be opened or claimed ("Cannot open DFU device 0483:df11"),
 * with the OS-specific reason and fix in {@link #advice()}. The kind is the underlying USB error:
 * ACCESS (Linux permissions), NOT_SUPPORTED (Windows driver), BUSY (claimed elsewhere), ...
 */
public final class DeviceAccessException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final transient DfuDeviceDescription device;
    private final transient OpenProblem problem;

    public DeviceAccessException(DfuDeviceDescription device, OpenProblem problem) {
        this(device, problem, null);
    }

    public DeviceAccessException(DfuDeviceDescription device, OpenProblem problem, Throwable cause) {
        super(problem.kind(), message(device, problem), cause);
        this.device = Objects.requireNonNull(device, "device");
        this.problem = problem;
    }

    private static String message(DfuDeviceDescription d, OpenProblem p) {
        return "Cannot open DFU device " + d.device().vidPid() + " at path " + d.device().path() + ": " + p.message() + ". "
                + p.advice().summary();
    }

    public DfuDeviceDescription device() {
        return device;
    }

    public OpenProblem problem() {
        return problem;
    }

    public Advice advice() {
        return problem.advice();
    }
}
