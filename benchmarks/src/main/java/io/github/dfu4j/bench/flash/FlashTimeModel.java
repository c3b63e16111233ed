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
import io.github.dfu4j.stm32.Stm32Identifier;
import io.github.dfu4j.transport.DfuTransport;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.dfu4j.bench.flash.FlashTimeModel [personality ...]
 * </pre>
 */
public final class FlashTimeModel {
    private FlashTimeModel() {
    }

    static final List<String> DEFAULT_IDS = List.of("stm32f405", "stm32h743", "mboot-pybd-sf2");
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
        List<String> ids = args.length == 0 ? DEFAULT_IDS : Arrays.asList(args);
        System.out.printf(Locale.ROOT, "1 MiB image, %.0f%% blank 2 KiB blocks (seed %d), simulator timing model (virtual seconds)%n%n",
                BenchImage.BLANK_FRACTION * 100, SEED);
        System.out.printf(Locale.ROOT, "%-15s %9s %9s %9s %9s %11s %16s %16s%n", "personality", "floor", "dfu4j", "+verify",
                "dfu-util", "requests", "dfu4j/floor", "dfu4j/dfu-util");
        for (String id : ids) {
            Row r = measure(id);
            System.out.printf(Locale.ROOT, "%-15s %8.2fs %8.2fs %8.2fs %8.2fs %5d/%-5d %6.2f %-9s %6.2f %-9s%n", id,
                    seconds(r.floor().total()), seconds(r.dfu4j()), seconds(r.dfu4jVerified()), seconds(r.dfuUtil()),
                    r.dfu4jRequests(), r.dfuUtilRequests(), r.floorRatio(), verdict(r.floorRatio() <= FLOOR_TARGET),
                    r.dfuUtilRatio(), verdict(r.dfuUtilRatio() <= DFU_UTIL_TARGET));
            System.out.printf(Locale.ROOT, "%-15s floor = erase %.2fs (%d sectors) + program %.2fs + USB %.2fs (%d non-blank blocks)%n",
                    "", seconds(r.floor().erase()), r.floor().sectors(), seconds(r.floor().program()), seconds(r.floor().usb()),
                    r.floor().blocks());
            double floorVsDfuUtil = seconds(r.floor().total()) / seconds(r.dfuUtil());
            if (floorVsDfuUtil > DFU_UTIL_TARGET) {
                // dfu-util's extra requests cost little when the device reports bwPollTimeout 0 (mboot):
                // then most of its time is the erase and program time every host needs
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
        System.out.printf(Locale.ROOT, "%ntargets: dfu4j <= %.2f x floor, dfu4j <= %.2f x dfu-util's pattern%n", FLOOR_TARGET, DFU_UTIL_TARGET);
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
        Identification ident = Stm32Identifier.identify(pt);
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
        Identification ident = Stm32Identifier.identify(t);
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
