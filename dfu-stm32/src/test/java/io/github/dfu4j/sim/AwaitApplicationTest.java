package io.github.dfu4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link SimulatedDevice#awaitApplication}: what a host waiting for the application after leave sees. */
class AwaitApplicationTest {
    static final long FLASH = 0x0800_0000L;

    @Test
    void romApplicationIsRunningRightAfterTheLeave() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        d.writeMemory(FLASH, TestImages.application(FLASH, 0x2002_0000L, 1024));
        RawDfu h = new RawDfu(d.connect());
        h.setAddress(FLASH);
        h.leave(0);
        Duration before = d.elapsed();
        RunningApplication app = d.awaitApplication(Duration.ofSeconds(5)).orElseThrow();
        assertEquals(FLASH, app.vectorTable());
        assertEquals(before, d.elapsed(), "no waiting when it already runs");
    }

    @Test
    void mbootAnswersManifestFirstAndTheWaitCoversItsResetDelay() throws Exception {
        long appBase = 0x0800_8000L; // mboot itself occupies the first 32 KiB
        SimulatedDevice d = SimulatedDevices.create("mboot-pybd-sf2");
        d.writeMemory(appBase, TestImages.application(appBase, 0x2004_0000L, 2048));
        RawDfu h = new RawDfu(d.connect());
        h.leave(0).orElseThrow();
        assertTrue(d.runningApplication().isEmpty(), "mboot still on the bus");
        Duration before = d.elapsed();
        Optional<RunningApplication> app = d.awaitApplication(Duration.ofSeconds(2));
        assertEquals(appBase, app.orElseThrow().vectorTable());
        Duration waited = d.elapsed().minus(before);
        assertTrue(waited.compareTo(Duration.ofMillis(200)) < 0, "only mboot's reset delay: " + waited);
        assertFalse(d.inDfuMode());
    }

    @Test
    void noApplicationMeansEmptyAfterTheWholeTimeout() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = new RawDfu(d.connect());
        h.leave(0); // erased flash: back into the ROM
        Duration before = d.elapsed();
        assertTrue(d.awaitApplication(Duration.ofSeconds(3)).isEmpty());
        assertEquals(Duration.ofSeconds(3), d.elapsed().minus(before));
        assertTrue(d.inDfuMode(), "the ROM is back on the bus");
    }
}
