package io.github.dfu4j.bench.flash;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import io.github.dfu4j.transport.DfuTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Simulated flash time of a 1 MiB image with 30% blank 2 KiB blocks ({@link BenchImage}) on the
 * simulator's timing model (virtual clock, so the figures are model seconds, not wall time), for
 * <ol>
 *   <li>the device floor ({@link DeviceFloor}): needed erase + program + USB time;</li>
 *   <li>dfu4j: identification, its profile, {@code DfuDevice.download} without verification (and with it,
 *       for information);</li>
 *   <li>dfu-util's pattern on the same model ({@link DfuUtilPattern}).</li>
 * </ol>
 * Targets: dfu4j &lt;= 1.05 x floor and &lt;= 0.6 x dfu-util's pattern.
 *
 * <p>dfu-util's pattern sleeps every bwPollTimeout the device reports, so its time (and every ratio
 * against it) is only as good as the reported poll values. Headline rows are the personalities whose
 * poll values used by a sector-erase flash are verified [V] or observed [O] ({@link #POLL_EVIDENCE});
 * a personality with an unverified [U] value is printed only in the labelled sensitivity table. The
 * erase/program times and the 1 ms-per-transfer bus are the simulator's typical values [U] in every row
 * (docs/stm32.md, "Flash time").
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.dfu4j.bench.flash.FlashTimeModel [personality ...]
 * </pre>
 */
public final class FlashTimeModel {
    private FlashTimeModel() {
    }

    /** Headline personalities: poll values [V]/[O]. */
    static final List<String> HEADLINE_IDS = List.of("stm32f746", "mboot-pybd-sf2");
    /** Sensitivity rows: a poll value this flash depends on is [U]. */
    static final List<String> SENSITIVITY_IDS = List.of("stm32f405", "stm32h743");

    /**
     * How well the bwPollTimeout values a sector-erase flash meets (SET_ADDRESS, write, sector erase) are
     * backed, per personality, with the source (Stm32Profiles' PollTimeouts, docs/reference/).
     */
    static final Map<String, String> POLL_EVIDENCE = Map.of(
            "stm32f746", "[O] F745 ROM: SET_ADDRESS 5 ms, write 5 ms, 32 KB erase 100 ms (docs/reference/stm32.md §6, R10)",
            "mboot-pybd-sf2", "[V] mboot: bwPollTimeout always 0 (docs/reference/mboot.md §5.3, MicroPython source)",
            "stm32f405", "[U] F4: write 104 ms assumed equal to the F469's SET_ADDRESS value (docs/reference/stm32.md §6)",
            "stm32h743", "[U] H7: 50 ms from ST's Cube DFU template, never observed (docs/reference/stm32.md §6)");

    static boolean headline(String id) {
        String e = POLL_EVIDENCE.get(id);
        return e != null && (e.startsWith("[V]") || e.startsWith("[O]"));
    }
    static final long SEED = 20261122L;
    static final double FLOOR_TARGET = 1.05;
    static final double DFU_UTIL_TARGET = 0.60;

    /** One personality's figures. */
    record Row(String id, DeviceFloor floor, Duration dfu4j, Duration dfu4jVerified, Duration dfuUtil, long dfu4jRequests,
               long dfuUtilRequests, Duration dfu4jEarlyPolling, Duration dfu4jWithoutEarlyPolling) {
        double floorRatio() {
            return seconds(dfu4j) / seconds(floor.total());
        }

        double dfuUtilRatio() {
            return seconds(dfu4j) / seconds(dfuUtil);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> ids = args.length == 0 ? concat(HEADLINE_IDS, SENSITIVITY_IDS) : Arrays.asList(args);
        System.out.printf(Locale.ROOT, "1 MiB image, %.0f%% blank 2 KiB blocks (seed %d), simulator timing model (virtual seconds)%n",
                BenchImage.BLANK_FRACTION * 100, SEED);
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(measure(id));
        }
        System.out.printf(Locale.ROOT, "%nheadline (bwPollTimeout values verified [V] or observed [O]):%n");
        table(rows.stream().filter(r -> headline(r.id())).toList());
        List<Row> sensitivity = rows.stream().filter(r -> !headline(r.id())).toList();
        if (!sensitivity.isEmpty()) {
            System.out.printf(Locale.ROOT, "%nsensitivity only, not a headline figure (a bwPollTimeout value is unverified [U];"
                    + " dfu-util's pattern sleeps it):%n");
            table(sensitivity);
        }
        System.out.printf(Locale.ROOT, "%npoll values:%n");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "  %-15s %s%n", r.id(), POLL_EVIDENCE.getOrDefault(r.id(), "[U] not classified"));
        }
        System.out.printf(Locale.ROOT, "%ntargets: dfu4j <= %.2f x floor, dfu4j <= %.2f x dfu-util's pattern%n", FLOOR_TARGET, DFU_UTIL_TARGET);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void table(List<Row> rows) {
        System.out.printf(Locale.ROOT, "%-15s %9s %9s %9s %9s %11s %16s %16s%n", "personality", "floor", "dfu4j", "+verify",
                "dfu-util", "requests", "dfu4j/floor", "dfu4j/dfu-util");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-15s %8.2fs %8.2fs %8.2fs %8.2fs %5d/%-5d %6.2f %-9s %6.2f %-9s%n", r.id(),
                    seconds(r.floor().total()), seconds(r.dfu4j()), seconds(r.dfu4jVerified()), seconds(r.dfuUtil()),
                    r.dfu4jRequests(), r.dfuUtilRequests(), r.floorRatio(), verdict(r.floorRatio() <= FLOOR_TARGET),
                    r.dfuUtilRatio(), !headline(r.id()) ? "(no verdict)" : r.dfuUtilRatio() > DFU_UTIL_TARGET && seconds(r.floor().total()) / seconds(r.dfuUtil()) > DFU_UTIL_TARGET
                            ? "(floor-bound)" : verdict(r.dfuUtilRatio() <= DFU_UTIL_TARGET));
            System.out.printf(Locale.ROOT, "%-15s floor = erase %.2fs (%d sectors) + program %.2fs + USB %.2fs (%d non-blank blocks)%n",
                    "", seconds(r.floor().erase()), r.floor().sectors(), seconds(r.floor().program()), seconds(r.floor().usb()),
                    r.floor().blocks());
            double floorVsDfuUtil = seconds(r.floor().total()) / seconds(r.dfuUtil());
            if (floorVsDfuUtil > DFU_UTIL_TARGET) {
                // dfu-util's extra requests cost little when the device reports a short bwPollTimeout (F745
                // 5 ms, mboot 0): then most of its time is the erase and program time every host needs
                System.out.printf(Locale.ROOT, "%-15s the floor itself is %.2f x dfu-util's pattern: no host can reach %.2f here%n",
                        "", floorVsDfuUtil, DFU_UTIL_TARGET);
            }
            if (r.dfu4jWithoutEarlyPolling() != null) {
                System.out.printf(Locale.ROOT, "%-15s without early polling (dfu-api honouring bwPollTimeout alone): %.2fs = %.2f x floor%n",
                        "", seconds(r.dfu4jWithoutEarlyPolling()), seconds(r.dfu4jWithoutEarlyPolling()) / seconds(r.floor().total()));
            }
            if (r.dfu4jEarlyPolling() != null) {
                System.out.printf(Locale.ROOT, "%-15s opt-in early polling (withEarlyPolling(true)): %.2fs = %.2f x floor%n", "",
                        seconds(r.dfu4jEarlyPolling()), seconds(r.dfu4jEarlyPolling()) / seconds(r.floor().total()));
            }
        }
    }

    private static String verdict(boolean met) {
        return met ? "(met)" : "(MISSED)";
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    static Row measure(String id) throws Exception {
        SimOptions quiet = SimOptions.defaults().withTraceLimit(0);
        SimulatedDevice probe = SimulatedDevices.create(id, quiet);
        FirmwareImage image = BenchImage.forDevice(probe, SEED);
        DfuTransport pt = probe.connect();
        Identification ident = Identification.identify(pt);
        int transfer = ident.profile().quirks().effectiveTransferSize(
                io.github.dfu4j.dfu.FunctionalDescriptor.parse(pt.functionalDescriptor(), id).transferSize());
        DeviceFloor floor = DeviceFloor.of(probe, image, transfer);

        Result plain = dfu4j(id, quiet, image, false, null);
        Result verified = dfu4j(id, quiet, image, true, null);
        Duration early = null;
        Duration notEarly = null;
        Stm32DeviceProfile p = ident.stm32Profile().orElseThrow();
        if (!p.earlyPolling() && p.leaveMode() == io.github.dfu4j.ops.LeaveMode.RESET_HANDLER) {
            early = dfu4j(id, quiet, image, false, p.withEarlyPolling(true)).time();
        }
        if (p.earlyPolling()) {
            notEarly = dfu4j(id, quiet, image, false, p.withEarlyPolling(false)).time();
        }

        SimulatedDevice u = SimulatedDevices.create(id, quiet);
        DfuTransport t = u.connect();
        MemoryLayout layout = MemoryLayout.parse(t.altSettings().get(0).name(), id + " alt 0");
        DfuUtilPattern host = new DfuUtilPattern(t, layout, transfer);
        Duration dfuUtil = host.flash(image);
        check(u, image, "dfu-util pattern");
        return new Row(id, floor, plain.time(), verified.time(), dfuUtil, plain.requests(), host.requests(), early, notEarly);
    }

    record Result(Duration time, long requests) {
    }

    private static Result dfu4j(String id, SimOptions options, FirmwareImage image, boolean verify,
                                Stm32DeviceProfile override) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, options);
        DfuTransport t = d.connect();
        Identification ident = Identification.identify(t);
        FlashResult r;
        Duration start;
        try (DfuDevice dev = override == null ? ident.open(t) : override.open(t, Duration.ZERO)) {
            start = d.elapsed();
            r = dev.download(image, FlashOptions.builder().verify(verify).build(), ProgressListener.NONE);
        }
        check(d, image, "dfu4j");
        return new Result(d.elapsed().minus(start), r.writes().requests());
    }

    private static void check(SimulatedDevice d, FirmwareImage image, String who) {
        for (Segment s : image.segments()) {
            if (!Arrays.equals(s.bytes(), d.readMemory(s.address(), s.length()))) {
                throw new IllegalStateException(who + " left wrong memory at 0x" + Long.toHexString(s.address()) + " on " + d.id());
            }
        }
    }
}
