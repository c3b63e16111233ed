package io.github.dfu4j.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.RequestMatcher;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NeverLieTest's rule for the plain DFU 1.1 personalities, which its rotation does not cover: seeded
 * random cases (variant, wTransferSize 64..4096, image length, verify on or off, BOOT0, one injected
 * fault of every kind at a random request), and whenever a download says verified, the simulated image
 * area holds the image; a failure is a typed {@link DfuException}, never anything else.
 * {@code -Ddfu4j.seed=N} replays, {@code -Ddfu4j.plainneverlie.cases=N} sets the count (default 300).
 */
class PlainDfuNeverLieTest {
    private static final long SEED = Long.getLong("dfu4j.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("dfu4j.plainneverlie.cases", 300);
    private static final List<String> IDS = List.of("plain-dfu", "plain-dfu-nomt", "plain-dfu-nodetach", "plain-dfu-nomt-nodetach");

    static {
        System.out.println("PlainDfuNeverLieTest: seed " + SEED + " (-Ddfu4j.seed=" + SEED + " replays)");
    }

    private static final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> OUTCOMES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static void count(String outcome) {
        OUTCOMES.computeIfAbsent(outcome, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.println("PlainDfuNeverLieTest outcomes: " + new java.util.TreeMap<>(OUTCOMES));
    }

    static IntStream cases() {
        return IntStream.range(0, CASES);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void verifiedMeansTheImageIsThere(int n) throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + n * 0x9E3779B97F4A7C15L);
        String id = IDS.get(rnd.nextInt(IDS.size()));
        int transfer = List.of(64, 100, 512, 1024, 2048, 4096).get(rnd.nextInt(6));
        int length = 1 + rnd.nextInt(12_000);
        byte[] app = Firmware.application(PlainDfuPersonalityTest.BASE, PlainDfuPersonalityTest.SP, Math.max(length, 512), 0x100,
                0.1, rnd.nextLong());
        boolean verify = rnd.nextInt(5) != 0;
        boolean boot0 = rnd.nextBoolean();
        Fault fault = switch (rnd.nextInt(5)) {
            case 0 -> new Fault.Stall();
            case 1 -> new Fault.Timeout();
            case 2 -> new Fault.Disconnect(Duration.ofMillis(rnd.nextInt(2000)));
            case 3 -> new Fault.Status(DfuStatus.ERR_WRITE);
            default -> null;
        };
        SimOptions o = SimOptions.defaults().withVirtualTime().withTransferSize(transfer).withBoot0High(boot0);
        if (fault != null) {
            o = o.withFaults(FaultRule.nth(1 + rnd.nextInt(2 * (app.length / transfer + 4)), RequestMatcher.any(), fault));
        }
        // stray bytes already in the image area, so a download that wrote nothing cannot pass by luck
        o = o.withInitialMemory(FirmwareImage.of(Segment.of(PlainDfuPersonalityTest.BASE, Firmware.random(app.length, n))));
        SimulatedDevice d = SimulatedDevices.create(id, o);
        String what = "case " + n + " (seed " + SEED + "): " + id + " wTransferSize " + transfer + " length " + app.length
                + " verify " + verify + " boot0 " + boot0 + " fault " + fault;
        FlashResult r;
        try (DfuDevice dev = PlainDfuPersonalityTest.open(d)) {
            r = dev.download(FirmwareImage.of(Segment.of(PlainDfuPersonalityTest.BASE, app)),
                    FlashOptions.builder().verify(verify).reopenTimeout(Duration.ofSeconds(2)).build(), ProgressListener.NONE);
        } catch (DfuException e) {
            count("typed failure");
            return; // a typed failure claims nothing
        } catch (RuntimeException e) {
            fail(what + ": untyped " + e, e);
            return;
        }
        count((r.verified() ? "verified" : "not verified") + (fault != null ? " with a fault" : ""));
        if (r.verified()) {
            assertArrayEquals(app, d.readMemory(PlainDfuPersonalityTest.BASE, app.length), what + " claimed verified");
        } else {
            assertTrue(!verify || r.resetBy().isPresent() || !r.warnings().isEmpty(), what + ": unverified without a reason " + r);
        }
    }
}
