package io.github.dfu4j.sim;

import io.github.dfu4j.formats.FirmwareFormatException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** --sim-state files: round trip, compactness, and typed errors for bad files. */
class StateFileTest {
    static final long FLASH = 0x0800_0000L;

    @TempDir
    Path dir;

    @Test
    void flashLeaveAndUploadAsSeparateSessions() throws Exception {
        Path state = dir.resolve("board.sim");
        // session 1: flash
        SimulatedDevice s1 = SimulatedDevices.createOrLoad("stm32f405", state, SimOptions.defaults());
        RawDfu h = new RawDfu(s1.connect());
        byte[] app = TestImages.application(FLASH, 0x2002_0000L, 40_000);
        h.erase(FLASH);
        h.erase(0x0800_4000L);
        h.erase(0x0800_8000L);
        h.writeEachAddressed(FLASH, app, 2048);
        s1.save(state);
        assertTrue(Files.size(state) < 48_000, "only pages in use are stored: " + Files.size(state));
        // session 2: leave
        SimulatedDevice s2 = SimulatedDevices.createOrLoad("stm32f405", state, SimOptions.defaults());
        assertArrayEquals(app, s2.readMemory(FLASH, app.length));
        RawDfu h2 = new RawDfu(s2.connect());
        h2.setAddress(FLASH);
        h2.leave(2);
        assertTrue(s2.runningApplication().isPresent());
        s2.save(state);
        // session 3: the board runs the application until the user puts it into DFU mode again
        SimulatedDevice s3 = SimulatedDevices.load(state, SimOptions.defaults());
        assertEquals(s2.runningApplication(), s3.runningApplication());
        assertFalse(s3.inDfuMode());
        assertArrayEquals(app, new RawDfu(s3.connect()).read(FLASH, app.length, 2048));
        assertTrue(s3.elapsed().compareTo(s2.elapsed()) >= 0, "virtual time continues");
    }

    @Test
    void optionBytesAndFlashModeSurvive() throws Exception {
        Path state = dir.resolve("f767.sim");
        SimulatedDevice d = SimulatedDevices.create("stm32f767", SimOptions.defaults().withFlashMode("dual"));
        d.writeMemory(0x1FFF_0000L, new byte[] {0x11, 0x22});
        d.writeMemory(0x0810_0000L, new byte[] {0x33});
        d.save(state);
        SimulatedDevice back = SimulatedDevices.load(state, SimOptions.defaults());
        assertArrayEquals(new byte[] {0x11, 0x22}, back.readMemory(0x1FFF_0000L, 2));
        assertEquals("dual", back.options().flashMode());
        assertTrue(back.connect().altSettings().get(0).name().endsWith("07*128Kg,04*016Kg,01*064Kg,07*128Kg"));
    }

    @Test
    void aStateFileIsForOneDevice() throws Exception {
        Path state = dir.resolve("x.sim");
        SimulatedDevices.create("stm32h743").save(state);
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> SimulatedDevices.createOrLoad("stm32f405", state, SimOptions.defaults()));
        assertTrue(e.getMessage().startsWith(state.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("stm32h743"), e.getMessage());
    }

    @Test
    void damageIsReportedWithFileAndOffset() throws Exception {
        Path state = dir.resolve("d.sim");
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        d.writeMemory(FLASH, TestImages.random(3, 3000));
        d.save(state);
        byte[] good = Files.readAllBytes(state);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(state, flipped);
        FirmwareFormatException crc = assertThrows(FirmwareFormatException.class, () -> SimulatedDevices.load(state, SimOptions.defaults()));
        assertTrue(crc.getMessage().contains("CRC"), crc.getMessage());
        assertTrue(crc.offset().isPresent());
        Files.write(state, "hello".getBytes());
        assertThrows(FirmwareFormatException.class, () -> SimulatedDevices.load(state, SimOptions.defaults()));
        Files.write(state, java.util.Arrays.copyOf(good, 8));
        assertThrows(FirmwareFormatException.class, () -> SimulatedDevices.load(state, SimOptions.defaults()));
    }

    static Stream<Arguments> corruptions() {
        long seed = Long.getLong("dfu4j.seed", 20261122L);
        int n = (int) Math.min(300, Math.max(10, Long.getLong("dfu4j.fuzz.iterations", 100_000L) / 1000));
        System.out.println("StateFileTest.corruptions seed=" + seed + " cases=" + n);
        SplittableRandom r = new SplittableRandom(seed);
        return IntStream.range(0, n).mapToObj(i -> Arguments.of(seed, i, r.nextLong()));
    }

    /** Any damage to a state file ends in a loaded device or a FirmwareFormatException, never anything else. */
    @ParameterizedTest(name = "seed={0} #{1}")
    @MethodSource("corruptions")
    void randomDamageNeverEscapesAsAnotherException(long seed, int i, long caseSeed) throws Exception {
        SplittableRandom r = new SplittableRandom(caseSeed);
        Path state = dir.resolve("f" + i + ".sim");
        SimulatedDevice d = SimulatedDevices.create(r.nextBoolean() ? "stm32f072" : "mboot-pybd-sf2");
        d.writeMemory(FLASH + r.nextInt(0x1000), TestImages.random(caseSeed, 1 + r.nextInt(3000)));
        d.save(state);
        byte[] b = Files.readAllBytes(state);
        switch (r.nextInt(3)) {
            case 0 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length)); // truncate
            case 1 -> {
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            default -> { // damage, then fix the CRC so the structure checks have to catch it
                b[8 + r.nextInt(Math.min(200, b.length - 12))] = (byte) r.nextInt(256);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(b, 0, b.length - 4);
                java.nio.ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
            }
        }
        Files.write(state, b);
        try {
            SimulatedDevices.load(state, SimOptions.defaults());
        } catch (FirmwareFormatException expected) {
            assertTrue(expected.getMessage().startsWith(state.toString()));
        }
    }
}
