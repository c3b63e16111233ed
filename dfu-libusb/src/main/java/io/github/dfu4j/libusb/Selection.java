package io.github.dfu4j.libusb;


import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.transport.AltSetting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of the discovered DFU interfaces a filter picks, as a pure function of the descriptions.
 *
 * <p>Rules (dfu-util's, made safer): run-time devices (an audio interface, a Bluetooth adapter,
 * a keyboard with a DFU run-time interface) are only candidates when the filter names a run-time
 * device (IDs, run-time serial, path). Otherwise only DFU-mode devices are, so unrelated DFU-capable
 * devices never get in the way, and an application is never detached by accident.
 */
final class Selection {

    private Selection() {
    }

    /**
     * The partition of all descriptions under a filter.
     *
     * @param candidates     what the filter selects
     * @param ignoredRuntime run-time devices that match but were not named
     * @param unverifiable   inaccessible devices that might match if their strings could be read
     */
    record Result(List<DfuDeviceDescription> candidates, List<DfuDeviceDescription> ignoredRuntime,
                  List<DfuDeviceDescription> unverifiable) {
    }

    static Result partition(List<DfuDeviceDescription> all, DeviceFilter filter) {
        boolean runtimeNamed = filter.namesRuntimeDevice();
        List<DfuDeviceDescription> candidates = new ArrayList<>();
        List<DfuDeviceDescription> ignored = new ArrayList<>();
        List<DfuDeviceDescription> unverifiable = new ArrayList<>();
        for (DfuDeviceDescription d : all) {
            boolean eligibleMode = d.device().dfuMode() || runtimeNamed;
            if (filter.matches(d)) {
                (eligibleMode ? candidates : ignored).add(d);
            } else if (!d.accessible() && eligibleMode && filter.matchesIgnoringStrings(d)) {
                unverifiable.add(d);
            }
        }
        return new Result(List.copyOf(candidates), List.copyOf(ignored), List.copyOf(unverifiable));
    }

    /**
     * Exactly one device, or a typed failure that says what was seen and how to choose.
     *
     * @throws UsbException for none, several, or only unnamed run-time devices
     * @throws UsbException             when the only devices that could match cannot be opened
     */
    static DfuDeviceDescription choose(List<DfuDeviceDescription> all, DeviceFilter filter, OsFamily os)
            throws UsbException {
        Result r = partition(all, filter);
        if (r.candidates().size() == 1) {
            return r.candidates().get(0);
        }
        if (r.candidates().size() > 1) {
            throw ambiguous(r.candidates(), filter);
        }
        if (!r.unverifiable().isEmpty()) {
            DfuDeviceDescription d = r.unverifiable().get(0);
            throw UsbException.cannotOpen(d, d.openProblem(), null);
        }
        if (!r.ignoredRuntime().isEmpty()) {
            String summary = "No DFU device in DFU mode" + (filter.equals(DeviceFilter.ANY) ? "" : " matches " + filter.describe())
                    + "; found " + r.ignoredRuntime().size() + " run-time DFU interface" + (r.ignoredRuntime().size() == 1 ? "" : "s")
                    + " (an application that can be switched to DFU mode)";
            throw UsbException.selection(UsbException.Problem.ONLY_RUNTIME, summary, Remedy.of(Remedy.Kind.NAME_RUNTIME_DEVICE),
                    summaries(r.ignoredRuntime()), r.ignoredRuntime(), null);
        }
        if (all.isEmpty()) {
            Advice advice = UsbAdvice.forNoDevice(os);
            // the fix is in the advice (its first step: DFU mode), not repeated in the message
            throw UsbException.selection(UsbException.Problem.NO_DEVICE, "No DFU capable USB device found", List.of(), advice);
        }
        StringBuilder m = new StringBuilder("No DFU device matches ").append(filter.describe())
                .append("; DFU devices present:");
        for (DfuDeviceDescription d : all) {
            m.append(System.lineSeparator()).append("  ").append(d.summary());
        }
        throw UsbException.selection(UsbException.Problem.NO_DEVICE, m.toString(), all, null);
    }

    private static UsbException ambiguous(List<DfuDeviceDescription> candidates, DeviceFilter filter) {
        String summary = "More than one DFU device matches " + filter.describe() + " (" + candidates.size() + ")";
        Set<String> serials = new HashSet<>();
        boolean duplicateSerials = false;
        for (DfuDeviceDescription d : candidates) {
            if (d.accessible() && !serials.add(d.device().serial())) {
                duplicateSerials = true;
            }
        }
        List<String> details = summaries(candidates);
        if (duplicateSerials) {
            details.add("Some of them report the same serial (common on ST ROM bootloaders): only the port path tells them apart.");
        }
        // the criteria that tell the devices apart: serial and port path, or only the path when serials repeat
        Remedy remedy = duplicateSerials ? Remedy.of(Remedy.Kind.NARROW_SELECTION, "path")
                : Remedy.of(Remedy.Kind.NARROW_SELECTION, "serial", "path");
        return UsbException.selection(UsbException.Problem.AMBIGUOUS, summary, remedy, details, candidates, null);
    }

    /** The selection error for an alt option that names no (or more than one) alternate setting of {@code d}. */
    static UsbException noSuchAlt(DeviceFilter filter, DfuDeviceDescription d) {
        StringBuilder known = new StringBuilder();
        for (AltSetting a : d.altSettings()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.altSetting()).append(" \"").append(a.name()).append('"');
        }
        return UsbException.selection(UsbException.Problem.NO_DEVICE, "No alternate setting " + filter.alt() + " (or several"
                + " that match it) on " + d.device().vidPid() + " at " + d.device().path() + "; it has: " + known, List.of(d), null);
    }

    private static List<String> summaries(List<DfuDeviceDescription> devices) {
        List<String> lines = new ArrayList<>();
        for (DfuDeviceDescription d : devices) {
            lines.add("  " + d.summary());
        }
        return lines;
    }
}
