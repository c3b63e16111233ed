package io.github.dfu4j.integration;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.dfu.DfuRequest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.ops.AddressingMode;
import io.github.dfu4j.sim.Command;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.RequestMatcher;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The product's promise, as a property (issue 9, docs/user-guide.md "What verified means"): whatever the
 * device and the bus do, {@link DfuDevice#download} either throws a typed dfu4j exception
 * ({@link DfuException}, which {@code DfuException} of kind PLAN and {@code VerifyException} extend) or
 * returns a result; a result that says verified means the simulated chip's memory, read directly from
 * the {@link SimulatedDevice} and not through the transport, equals the image at every image byte; with
 * verification off the result never says verified.
 *
 * <p>Each case is generated from its own seed: a random image (1 to 3 segments in the first sectors of
 * the application flash, blank runs, a vector table), a personality (round-robin over every
 * {@link SimulatedDevices#ids()}), what the chip already holds (nothing, the image, or the image with
 * changes and stray bytes), random options (incremental, addressing, verify, sometimes a leave) and random faults: a
 * simulator {@link Fault} of every kind at a random request, block mis-addressing
 * ({@link SimOptions#withBlockStride}), and {@link FaultyTransport} corrupting one written block or
 * flipping a bit of one read-back reply, once or always.
 *
 * <p>{@code -Ddfu4j.neverlie.cases=N} sets the case count (default 20000), {@code -Ddfu4j.seed=N} the
 * run's seed (printed), {@code -Ddfu4j.neverlie.case=I} runs only case I of that seed.
 */
class NeverLieTest {
    private static final int CASES = Integer.getInteger("dfu4j.neverlie.cases", 20_000);
    private static final long SEED = Long.getLong("dfu4j.seed", System.nanoTime());
    private static final int ONLY = Integer.getInteger("dfu4j.neverlie.case", -1);
    private static final List<String> IDS = SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id)
            .filter(id -> !id.startsWith("plain-dfu")).toList(); // DfuSe personalities
    private static final Map<String, AtomicLong> OUTCOMES = new ConcurrentHashMap<>();
    private static final long STARTED = System.nanoTime();
    /** Single transient faults that fired, by kind: [cases, ended verified with the image in memory]. */
    private static final Map<String, long[]> RESUME = new ConcurrentHashMap<>();
    private static final List<String> NOT_RESUMED = java.util.Collections.synchronizedList(new ArrayList<>());

    @org.junit.jupiter.api.BeforeAll
    static void header() {
        System.out.println("NeverLieTest: seed " + SEED + " (-Ddfu4j.seed=" + SEED + " replays), " + CASES + " cases over "
                + IDS.size() + " personalities");
    }

    static Stream<String> personalities() {
        return IDS.stream();
    }

    @AfterAll
    static void report() {
        System.out.println("NeverLieTest: seed " + SEED + ", outcomes " + new TreeMap<>(OUTCOMES) + ", "
                + (System.nanoTime() - STARTED) / 1_000_000 + " ms");
        long cases = 0;
        long ok = 0;
        StringBuilder perKind = new StringBuilder();
        for (Map.Entry<String, long[]> e : new TreeMap<>(RESUME).entrySet()) {
            cases += e.getValue()[0];
            ok += e.getValue()[1];
            perKind.append(String.format(" %s %d/%d", e.getKey(), e.getValue()[1], e.getValue()[0]));
        }
        double rate = (double) ok / Math.max(1, cases);
        System.out.printf("NeverLieTest: resume rate %.1f%% (%d of %d cases with one stall, timeout or disconnect that"
                + " fired ended verified with the image in memory):%s%n", 100 * rate, ok, cases, perKind);
        synchronized (NOT_RESUMED) {
            NOT_RESUMED.stream().limit(5).forEach(c -> System.out.println("  not resumed: " + c));
        }
        // too few cases (a replay of one case, a tiny run) say nothing about the rate
        if (cases >= 100) {
            assertTrue(rate >= ResumeRateTest.TARGET, String.format("resume rate %.1f%% below %.0f%%:%s", 100 * rate,
                    100 * ResumeRateTest.TARGET, perKind));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personalities")
    void downloadNeverClaimsVerifiedWithWrongMemory(String id) {
        int index = IDS.indexOf(id);
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (int i = index; i < CASES; i += IDS.size()) {
            if (ONLY >= 0 && i != ONLY) {
                continue;
            }
            ran++;
            String failure = runCase(id, i);
            if (failure != null && failures.size() < 10) {
                failures.add(failure);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + ran + " cases on " + id + " broke the promise:\n"
                + String.join("\n", failures));
    }

    /** One case; null when the promise held, else what broke and how to replay it. */
    private static String runCase(String id, int index) {
        SplittableRandom rnd = new SplittableRandom(SEED ^ (index * 0x9E3779B97F4A7C15L));
        StringBuilder what = new StringBuilder(id);
        SimulatedDevice probe = SimulatedDevices.create(id);
        FirmwareImage image = image(probe, rnd);
        SimOptions so = SimOptions.defaults().withTraceLimit(0);
        so = so.withInitialMemory(initialMemory(probe, image, rnd, what));
        FaultyTransport.Kind lie = null;
        int lieNth = 0;
        boolean lieAlways = false;
        int faults = rnd.nextInt(10);
        if (faults == 0) {
            what.append(", no fault");
        }
        java.util.concurrent.atomic.AtomicInteger matched = new java.util.concurrent.atomic.AtomicInteger();
        FaultRule rule = null;
        if (faults >= 1 && faults <= 3 || faults == 9) {
            rule = simFault(rnd);
            RequestMatcher when = rule.when();
            // counts the rule's matches: the fault fired when they reach its occurrence
            rule = new FaultRule(r -> {
                boolean m = when.matches(r);
                if (m) {
                    matched.incrementAndGet();
                }
                return m;
            }, rule.occurrence(), rule.repeat(), rule.fault());
            so = so.withFaults(rule);
            what.append(", sim fault ").append(rule.fault()).append(" at match ").append(rule.occurrence())
                    .append(rule.repeat() ? " and after" : "");
        }
        int transfer = transferSize(probe);
        if (rnd.nextBoolean()) {
            // smaller blocks: a few KiB of image is then many blocks, and misplaced ones reach other sectors
            transfer = new int[] {256, 512, 1024}[rnd.nextInt(3)];
            so = so.withTransferSize(transfer);
            what.append(", wTransferSize ").append(transfer);
        }
        if (faults == 4 || faults == 5 || faults == 9) {
            // block numbers times a wrong multiplier: none, half, a few blocks, 4 KiB, half a sector, a sector
            int sector = (int) sectors(probe).get(0).size();
            int stride = new int[] {0, transfer / 2, 2 * transfer, 3 * transfer, 4 * transfer, 8 * transfer, 4096,
                    sector / 2, sector}[rnd.nextInt(9)];
            so = so.withBlockStride(stride);
            what.append(", block stride ").append(stride);
        }
        if (faults >= 6 && faults <= 8 || faults == 9 && rnd.nextBoolean()) {
            lie = rnd.nextBoolean() ? FaultyTransport.Kind.CORRUPT_DNLOAD : FaultyTransport.Kind.FLIP_UPLOAD;
            lieNth = 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 40);
            lieAlways = rnd.nextInt(4) == 0;
            what.append(", transport ").append(lie).append(" at ").append(lieNth).append(lieAlways ? " and after" : " once");
        }
        boolean incremental = rnd.nextBoolean();
        AddressingMode addressing = AddressingMode.values()[rnd.nextInt(AddressingMode.values().length)];
        boolean verify = rnd.nextInt(8) != 0;
        boolean leave = rnd.nextInt(4) == 0;
        FlashOptions options = FlashOptions.builder().incremental(incremental).addressing(addressing).verify(verify)
                .leave(leave ? io.github.dfu4j.ops.LeaveRequest.auto() : io.github.dfu4j.ops.LeaveRequest.none())
                .reopenTimeout(Duration.ZERO).build();
        what.append(", incremental ").append(incremental).append(", ").append(addressing).append(", verify ").append(verify)
                .append(leave ? ", leave" : "")
                .append(", image ").append(describe(image));

        // resume-rate cases: one transient fault (stall, timeout, disconnect) that fired, nothing else wrong
        String resumeKind = faults >= 1 && faults <= 3 && !rule.repeat() && verify && lie == null
                && !(rule.fault() instanceof Fault.Status) && !(rule.fault() instanceof Fault.Delay)
                ? rule.fault().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) : null;
        FaultRule fired = rule;
        int[] beforeDownload = {Integer.MAX_VALUE}; // matches before the download (during open): not the flash's fault
        java.util.function.BooleanSupplier single = () -> resumeKind != null && matched.get() >= fired.occurrence()
                && beforeDownload[0] < fired.occurrence();
        SimulatedDevice d = SimulatedDevices.create(id, so);
        DfuTransport t = d.connect();
        if (lie != null) {
            t = new FaultyTransport(t, lie, lieNth, lieAlways, rnd.nextInt(1 << 16));
        }
        FlashResult r;
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            beforeDownload[0] = matched.get();
            r = dev.download(image, options, ProgressListener.NONE);
        } catch (DfuException e) {
            count("typed failure: " + e.getClass().getSimpleName());
            if (single.getAsBoolean()) {
                resumed(resumeKind, false);
                NOT_RESUMED.add(replay(index, what, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
            return null;
        } catch (RuntimeException e) {
            count("UNTYPED " + e.getClass().getSimpleName());
            return replay(index, what, "threw an untyped " + e);
        }
        if (single.getAsBoolean()) {
            resumed(resumeKind, r.verified() && Firmware.holds(d, image));
            if (!r.verified()) {
                NOT_RESUMED.add(replay(index, what, "unverified: " + r));
            }
        }
        if (!r.verified()) {
            count(verify ? "unverified (verify on)" : "unverified by option");
            return null;
        }
        if (!verify) {
            return replay(index, what, "claims verified with verification off: " + r);
        }
        for (Segment s : image.segments()) {
            byte[] memory = d.readMemory(s.address(), s.length());
            byte[] want = s.bytes();
            if (!Arrays.equals(memory, want)) {
                int at = Arrays.mismatch(memory, want);
                long wrong = 0;
                for (int i = 0; i < want.length; i++) {
                    wrong += memory[i] != want[i] ? 1 : 0;
                }
                return replay(index, what, String.format("claims verified but memory at 0x%08x is 0x%02x, the image has 0x%02x"
                        + " (%d wrong bytes in that segment): %s", s.address() + at, memory[at] & 0xFF, want[at] & 0xFF, wrong, r));
            }
        }
        count(r.writes().addressingFallback() ? (incremental ? "verified after the addressing fallback, incremental"
                : "verified after the addressing fallback") : "verified");
        return null;
    }

    /** wTransferSize from the personality's functional descriptor (bytes 5 and 6, DFU 1.1 table 4.2). */
    private static int transferSize(SimulatedDevice d) {
        byte[] f = d.connect().functionalDescriptor();
        return (f[5] & 0xFF) | (f[6] & 0xFF) << 8;
    }

    /** One resume-rate case: [cases, recovered] by fault kind. */
    private static void resumed(String kind, boolean recovered) {
        long[] c = RESUME.computeIfAbsent(kind, k -> new long[2]);
        synchronized (c) {
            c[0]++;
            c[1] += recovered ? 1 : 0;
        }
    }

    private static void count(String outcome) {
        OUTCOMES.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    private static String replay(int index, StringBuilder what, String problem) {
        return "case " + index + " (replay: -Ddfu4j.seed=" + SEED + " -Ddfu4j.neverlie.case=" + index + "): " + what + ": "
                + problem;
    }

    private static String describe(FirmwareImage image) {
        List<String> parts = new ArrayList<>();
        for (Segment s : image.segments()) {
            parts.add(String.format("0x%08x+%d", s.address(), s.length()));
        }
        return parts.toString();
    }

    /** The application sectors the images use: the first few from the application base. */
    private static List<Sector> sectors(SimulatedDevice d) {
        long base = Firmware.appBase(d);
        List<Sector> all = Firmware.flashMap(d).sectors().stream().filter(s -> s.start() >= base).toList();
        return all.subList(0, Math.min(all.size(), 4));
    }

    /**
     * 1 to 3 segments, a few KiB in all: the first at the application base with a vector table, the
     * others anywhere in the first sectors without overlapping; random bytes with blank runs.
     */
    static FirmwareImage image(SimulatedDevice d, SplittableRandom rnd) {
        long base = Firmware.appBase(d);
        List<Sector> sectors = sectors(d);
        long end = sectors.get(sectors.size() - 1).end();
        List<long[]> taken = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        int first = 64 + rnd.nextInt(4096);
        segments.add(Segment.of(base, content(first, rnd, true, base, d)));
        taken.add(new long[] {base, base + first});
        int more = rnd.nextInt(3);
        java.util.Optional<Long> bank2 = Stm32Internals.mbootBoardOf(d).isEmpty() ? Firmware.flashMap(d).bankBase(2) : java.util.Optional.empty();
        if (more > 0 && bank2.isPresent() && rnd.nextInt(4) == 0) {
            // the second bank (where the H743 rev V ROM wedges erases in dfuDNBUSY)
            long at = bank2.get() + rnd.nextInt(4096);
            int length = 1 + rnd.nextInt(3000);
            segments.add(Segment.of(at, content(length, rnd, false, at, d)));
            taken.add(new long[] {at, at + length});
            more--;
        }
        for (int k = 0; k < more; k++) {
            Sector s = sectors.get(rnd.nextBoolean() ? 0 : rnd.nextInt(sectors.size()));
            int length = 1 + rnd.nextInt(rnd.nextBoolean() ? 256 : 3000);
            long at = s.start() + rnd.nextLong(Math.max(1, s.size() - 16));
            int where = rnd.nextInt(3);
            boolean across = where == 0;
            if (across) {
                at = s.end() - 1 - rnd.nextInt(Math.min(length, 64)); // across a sector boundary
            } else if (where == 1) {
                at = s.start(); // where a bootloader that multiplies block numbers by the sector size writes
            }
            long stop = Math.min(end, at + length);
            if (stop <= at || overlaps(taken, at - 1, stop + 1)) {
                continue;
            }
            byte[] b = content((int) (stop - at), rnd, false, at, d);
            if (rnd.nextInt(4) == 0) {
                Arrays.fill(b, (byte) 0xFF); // a blank segment: a blank chip already holds it
            } else if (across && rnd.nextBoolean() && stop > s.end()) {
                // the image's bytes in the next sector are all blank: on a blank chip that sector reads back
                // as already holding them (issue 9: an incremental flash judges it unchanged)
                Arrays.fill(b, (int) (s.end() - at), b.length, (byte) 0xFF);
            }
            segments.add(Segment.of(at, b));
            taken.add(new long[] {at, stop});
        }
        return FirmwareImage.of(segments);
    }

    private static boolean overlaps(List<long[]> taken, long from, long to) {
        for (long[] r : taken) {
            if (from < r[1] && r[0] < to) {
                return true;
            }
        }
        return false;
    }

    private static byte[] content(int length, SplittableRandom rnd, boolean vectorTable, long at, SimulatedDevice d) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        int runs = rnd.nextInt(4);
        for (int k = 0; k < runs; k++) {
            int from = rnd.nextInt(length);
            int n = rnd.nextBoolean() ? rnd.nextInt(64) : rnd.nextInt(3000);
            // blank runs, and sometimes zero padding (objcopy --gap-fill 0): blocks that repeat
            Arrays.fill(b, from, Math.min(length, from + n), rnd.nextInt(3) == 0 ? (byte) 0x00 : (byte) 0xFF);
        }
        if (rnd.nextInt(4) == 0) {
            // zero padding at the end (objcopy --gap-fill 0, fixed-size images): the last blocks repeat
            Arrays.fill(b, rnd.nextInt(length), length, (byte) 0x00);
        }
        if (vectorTable && length >= 8) {
            long sp = Firmware.stackTop(Stm32Internals.chipOf(d));
            long reset = (at + Math.min(length - 2, 0x1C4)) | 1;
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (sp >>> (8 * i));
                b[4 + i] = (byte) (reset >>> (8 * i));
            }
        }
        return b;
    }

    /** What the chip holds before the flash: nothing, the image, or the image changed plus stray bytes. */
    private static FirmwareImage initialMemory(SimulatedDevice d, FirmwareImage image, SplittableRandom rnd, StringBuilder what) {
        int kind = rnd.nextInt(3);
        if (kind == 0) {
            what.append(", blank chip");
            return FirmwareImage.of();
        }
        List<Segment> out = new ArrayList<>();
        List<long[]> taken = new ArrayList<>();
        for (Segment s : image.segments()) {
            byte[] b = s.bytes();
            if (kind == 2) {
                int changes = 1 + rnd.nextInt(4);
                for (int k = 0; k < changes; k++) {
                    int i = rnd.nextInt(b.length);
                    b[i] = (byte) (b[i] & ~(1 << rnd.nextInt(8))); // programmable without erase, or 0xFF became data
                }
            }
            out.add(Segment.of(s.address(), b));
            taken.add(new long[] {s.address(), s.end()});
        }
        if (kind == 2) {
            // stray bytes where the image has none, in one of its sectors
            List<Sector> sectors = sectors(d);
            Sector s = sectors.get(rnd.nextInt(sectors.size()));
            long at = s.start() + rnd.nextLong(s.size() - 64);
            int n = 1 + rnd.nextInt(64);
            if (!overlaps(taken, at, at + n)) {
                byte[] junk = new byte[n];
                for (int i = 0; i < n; i++) {
                    junk[i] = (byte) rnd.nextInt(255);
                }
                out.add(Segment.of(at, junk));
            }
            what.append(", chip holds a changed image");
        } else {
            what.append(", chip holds the image");
        }
        out.sort((a, b) -> Long.compare(a.address(), b.address()));
        return FirmwareImage.of(out);
    }

    /** One simulator fault of any kind, at a random match of a random request kind. */
    private static FaultRule simFault(SplittableRandom rnd) {
        Fault fault = switch (rnd.nextInt(5)) {
            case 0 -> Fault.stall();
            case 1 -> Fault.timeout();
            case 2 -> new Fault.Disconnect(Duration.ofMillis(rnd.nextInt(2000)));
            case 3 -> Fault.status(DfuStatus.values()[1 + rnd.nextInt(DfuStatus.values().length - 1)]);
            default -> Fault.delay(Duration.ofMillis(rnd.nextInt(8000)));
        };
        RequestMatcher when;
        int n;
        switch (rnd.nextInt(7)) {
            case 0 -> { when = RequestMatcher.any(); n = 1 + rnd.nextInt(150); }
            case 1 -> { when = RequestMatcher.request(DfuRequest.DNLOAD); n = 1 + rnd.nextInt(40); }
            case 2 -> { when = RequestMatcher.request(DfuRequest.UPLOAD); n = 1 + rnd.nextInt(40); }
            case 3 -> { when = RequestMatcher.request(DfuRequest.GETSTATUS); n = 1 + rnd.nextInt(60); }
            case 4 -> { when = RequestMatcher.getStatusFor(Command.Write.class); n = 1 + rnd.nextInt(20); }
            case 5 -> { when = RequestMatcher.getStatusFor(Command.Erase.class); n = 1 + rnd.nextInt(4); }
            default -> { when = RequestMatcher.request(DfuRequest.ABORT); n = 1 + rnd.nextInt(10); }
        }
        return rnd.nextInt(5) == 0 ? FaultRule.fromNth(n, when, fault) : FaultRule.nth(n, when, fault);
    }
}
