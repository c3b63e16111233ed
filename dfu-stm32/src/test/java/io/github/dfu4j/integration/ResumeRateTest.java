package io.github.dfu4j.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.Command;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.RequestMatcher;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resume rate (issue 10, "resume after a transient fault"): single-fault schedules over every
 * personality of {@link SimulatedDevices#ids()}. For each personality and image, the fault-free
 * download is run once to count its DFU requests (N, counted by the simulator from the first request
 * of {@link DfuDevice#download}); then, for request numbers k sampled from 1..N (always 1 and N, the
 * rest seeded), one fresh device per fault kind gets that single fault at its k-th request: a stall,
 * a timeout, or a disconnect that re-attaches in DFU mode after {@link #REATTACH}. A case is
 * recovered when the download returns verified and the simulator's memory, read directly, holds the
 * image. Never, in any case, may a download claim verified with wrong memory or throw an untyped
 * exception.
 *
 * <p>Asserts a recovered rate of at least {@link #TARGET} over all cases and prints the per-kind
 * breakdown; and, per personality, that a second fault in the sector of the first ends the flash with
 * its typed error. {@code -Ddfu4j.resume.samples=N} sets the request numbers per personality, image and
 * kind (default 24), {@code -Ddfu4j.seed=N} the seed (printed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeRateTest {
    static final double TARGET = 0.95;
    static final Duration REATTACH = Duration.ofMillis(300);
    private static final int SAMPLES = Integer.getInteger("dfu4j.resume.samples", 24);
    private static final long SEED = Long.getLong("dfu4j.seed", System.nanoTime());
    private static final List<String> IDS = SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id)
            .filter(id -> !id.startsWith("plain-dfu")).toList(); // DfuSe personalities

    /** Fault kinds of the sweep. */
    enum Kind {
        STALL, TIMEOUT, DISCONNECT;

        Fault fault() {
            return switch (this) {
                case STALL -> new Fault.Stall();
                case TIMEOUT -> new Fault.Timeout();
                case DISCONNECT -> new Fault.Disconnect(REATTACH);
            };
        }
    }

    /** [cases, recovered] per kind. */
    private final Map<Kind, long[]> tally = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final List<String> lies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> notRecovered = java.util.Collections.synchronizedList(new ArrayList<>());

    static {
        System.out.println("ResumeRateTest: seed " + SEED + " (-Ddfu4j.seed=" + SEED + " replays), " + SAMPLES
                + " request numbers per personality, image and fault kind");
    }

    static Stream<String> personalities() {
        return IDS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personalities")
    void singleFaultSchedules(String id) throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED ^ id.hashCode());
        SimulatedDevice probe = SimulatedDevices.create(id);
        List<FirmwareImage> images = List.of(Firmware.multiSector(probe, rnd.nextLong()), NeverLieTest.image(probe, rnd));
        for (int img = 0; img < images.size(); img++) {
            FirmwareImage image = images.get(img);
            int n = cleanRequests(id, image);
            for (Kind kind : Kind.values()) {
                for (int k : sample(n, rnd)) {
                    runCase(id, img, image, kind, k, n);
                }
            }
        }
    }

    /**
     * A stall at every block written into the image's first sector: the first is resumed, the second
     * (while that sector is written again) ends the flash with the stall's typed error; no third try.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("personalities")
    void aSecondFaultInTheSameSectorEndsInTheTypedError(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        FirmwareImage image = Firmware.multiSector(d, 99);
        long base = Firmware.appBase(d);
        Sector first = Firmware.flashMap(d).sectors().stream().filter(s -> s.start() >= base)
                .findFirst().orElseThrow();
        RequestMatcher writes = r -> r.request() == DfuRequest.DNLOAD && r.command()
                .filter(c -> c instanceof Command.Write w && w.address() >= first.start()
                        && w.address() < first.end()).isPresent();
        d.addFault(FaultRule.every(writes, new Fault.Stall()));
        DfuTransport t = d.connect();
        DfuException e;
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            e = assertThrows(DfuException.class, () -> dev.download(image, options(), ProgressListener.NONE));
        }
        assertEquals(DfuException.Kind.TRANSFER, e.kind(), e.getMessage());
        assertEquals(TransportException.Kind.STALL, e.transportError().orElseThrow().kind());
        assertEquals(Phase.WRITE, e.phase().orElseThrow());
        assertEquals(2, d.trace().stream().filter(x -> x.fault().isPresent()).count(),
                id + ": one fault resumed, the second in the same sector ends the flash");
    }

    /** DFU requests of the fault-free download (the flash must succeed). */
    private static int cleanRequests(String id, FirmwareImage image) throws DfuException {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withTraceLimit(0));
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            long before = d.stats().requests();
            FlashResult r = dev.download(image, options(), ProgressListener.NONE);
            assertTrue(r.verified() && Firmware.holds(d, image), id + ": the fault-free flash must succeed");
            return Math.toIntExact(d.stats().requests() - before);
        }
    }

    private static FlashOptions options() {
        return FlashOptions.builder().resumeWait(Duration.ofSeconds(3)).build();
    }

    /** 1, n and up to SAMPLES - 2 more, drawn without repetition. */
    private static TreeSet<Integer> sample(int n, SplittableRandom rnd) {
        TreeSet<Integer> ks = new TreeSet<>(List.of(1, n));
        int want = Math.min(n, SAMPLES);
        while (ks.size() < want) {
            ks.add(1 + rnd.nextInt(n));
        }
        return ks;
    }

    private void runCase(String id, int img, FirmwareImage image, Kind kind, int k, int n) {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withTraceLimit(0));
        String what = id + " image " + img + " " + kind + " at request " + k + " of " + n;
        DfuTransport t = d.connect();
        boolean recovered = false;
        try {
            Identification ident = Identification.identify(t);
            try (DfuDevice dev = ident.open(t)) {
                d.addFault(FaultRule.nth(k, RequestMatcher.any(), kind.fault()));
                FlashResult r = dev.download(image, options(), ProgressListener.NONE);
                boolean holds = Firmware.holds(d, image);
                if (r.verified() && !holds) {
                    lies.add(what + ": claims verified but memory differs");
                }
                recovered = r.verified() && holds;
                if (!recovered) {
                    failures.computeIfAbsent(kind + " unverified", x -> new AtomicLong()).incrementAndGet();
                }
            }
        } catch (DfuException e) {
            failures.computeIfAbsent(kind + " " + e.getClass().getSimpleName() + " in " + e.phase().map(Enum::name).orElse("?"),
                    x -> new AtomicLong()).incrementAndGet();
            if (notRecovered.size() < 40) {
                notRecovered.add(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        } catch (RuntimeException e) {
            lies.add(what + ": untyped " + e);
        }
        long[] c = tally.computeIfAbsent(kind, x -> new long[2]);
        synchronized (c) {
            c[0]++;
            c[1] += recovered ? 1 : 0;
        }
    }

    @AfterAll
    void report() {
        long cases = 0;
        long ok = 0;
        StringBuilder perKind = new StringBuilder();
        for (Kind kind : Kind.values()) {
            long[] c = tally.getOrDefault(kind, new long[2]);
            cases += c[0];
            ok += c[1];
            perKind.append(String.format(" %s %d/%d (%.1f%%)", kind.name().toLowerCase(), c[1], c[0], 100.0 * c[1] / Math.max(1, c[0])));
        }
        double rate = (double) ok / Math.max(1, cases);
        System.out.printf("ResumeRateTest: seed %d, recovered %d/%d single-fault schedules (%.1f%%):%s%n", SEED, ok, cases,
                100 * rate, perKind);
        System.out.println("ResumeRateTest: not recovered by outcome " + new TreeMap<>(failures));
        notRecovered.stream().limit(15).forEach(s -> System.out.println("  not recovered: " + s));
        assertTrue(lies.isEmpty(), lies.size() + " cases broke the promise (verified with wrong memory, or untyped):\n"
                + String.join("\n", lies.subList(0, Math.min(10, lies.size()))));
        assertTrue(cases > 0, "no case ran");
        assertTrue(rate >= TARGET, String.format("resume rate %.1f%% is below %.0f%%:%s", 100 * rate, 100 * TARGET, perKind));
    }
}
