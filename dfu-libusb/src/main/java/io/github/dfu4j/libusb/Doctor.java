package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diagnoses the USB side of flashing: which backends load (and libusb's version), which DFU
 * devices are visible, and for each whether it can be opened and claimed; every problem comes with
 * advice for this OS (udev rule, WinUSB driver, ...). What {@code dfu doctor} prints. Package-private:
 * callers start from {@link DoctorReport#run()}, which is the public face of this diagnosis.
 */
final class Doctor {
    private static final Logger log = LoggerFactory.getLogger(Doctor.class);

    private Doctor() {
    }

    /** Uses the backend named by {@value UsbBackends#BACKEND_PROPERTY} (default AUTO) to look at devices. */
    static DoctorReport run() {
        return run(BackendChoice.fromSystemProperty());
    }

    /** Tries every backend; looks at devices with {@code choice} (AUTO: the first that loads). */
    static DoctorReport run(BackendChoice choice) {
        return run(choice, UsbBackends.defaultLoaders(), Environment.system());
    }

    static DoctorReport run(BackendChoice choice, Map<BackendChoice, BackendLoader> loaders, Environment env) {
        List<BackendStatus> statuses = new ArrayList<>();
        UsbBackend active = null;
        for (Map.Entry<BackendChoice, BackendLoader> e : loaders.entrySet()) {
            UsbBackends.Attempt a = UsbBackends.attempt(e.getKey(), e.getValue());
            statuses.add(a.status());
            if (a.bus() == null) {
                continue;
            }
            if (active == null && (choice == BackendChoice.AUTO || choice == e.getKey())) {
                active = new UsbBackend(e.getKey(), a.bus(), a.status(), env);
            } else {
                a.bus().close();
            }
        }
        String osDescription = System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "")
                + " " + System.getProperty("os.arch", "");
        String java = System.getProperty("java.version", "?") + " (" + System.getProperty("java.vendor", "?") + ")";
        List<Advice> advice = new ArrayList<>();
        if (active == null) {
            advice.add(UsbAdvice.forBackendsUnavailable(env.os(), System.getProperty("os.arch", "")));
            return new DoctorReport(env.os(), osDescription.strip(), java, statuses, null, -1, List.of(), advice);
        }
        try (UsbBackend usb = active) {
            int count = -1;
            List<DoctorReport.DeviceCheck> checks = new ArrayList<>();
            try {
                count = usb.countUsbDevices();
                for (DfuDeviceDescription d : usb.listDfuDevices()) {
                    OpenProblem problem = usb.checkAccess(d);
                    checks.add(new DoctorReport.DeviceCheck(d, problem, env.inspect(d)));
                    if (problem != null && !advice.contains(problem.advice())) {
                        advice.add(problem.advice());
                    }
                }
            } catch (io.github.dfu4j.transport.TransportException e) {
                log.debug("device listing failed", e);
                advice.add(new Advice("Listing USB devices failed: " + e.getMessage(), List.of(
                        "Retry; on Linux check that /dev/bus/usb is present and readable.")));
            }
            if (checks.isEmpty() && count >= 0) {
                advice.add(UsbAdvice.forNoDevice(env.os()));
            }
            return new DoctorReport(env.os(), osDescription.strip(), java, statuses, usb.kind(), count, checks, advice);
        }
    }
}
