package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.DriverInfo;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.transport.TimeSource;
import java.time.Duration;
import java.util.Objects;

/**
 * What the USB code needs from its surroundings, injectable so tests run with a virtual clock, a
 * chosen OS and a fake sysfs.
 *
 * @param os           decides the advice and the kernel-driver handling
 * @param time         clock for re-enumeration waits
 * @param pollInterval how often to look for a re-enumerated device
 * @param inspector    reads driver and device-node facts for diagnostics
 */
record Environment(OsFamily os, TimeSource time, Duration pollInterval, HostInspector inspector) {

    Environment {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(inspector, "inspector");
    }

    static Environment system() {
        OsFamily os = OsFamily.current();
        return new Environment(os, TimeSource.system(), Duration.ofMillis(100), HostInspector.forOs(os));
    }

    DriverInfo inspect(DfuDeviceDescription d) {
        try {
            return inspector.inspect(d.busNumber(), d.deviceAddress(), d.device().path(), d.configurationValue(),
                    d.interfaceNumber());
        } catch (RuntimeException e) {
            return DriverInfo.UNKNOWN;
        }
    }

    OpenProblem problem(DfuDeviceDescription d, io.github.dfu4j.transport.TransportException e) {
        return new OpenProblem(e.kind(), e.getMessage(),
                UsbAdvice.forOpenFailure(os, e.kind(), d.device().vendorId(), d.device().productId(), inspect(d)));
    }
}
