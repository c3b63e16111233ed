package io.github.dfu4j.stm32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The ROM-signature table recognises every simulated personality as its own kind, with its leave mode. */
class RomSignaturesTest {

    static Stream<String> personalities() {
        return SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id).filter(id -> !id.startsWith("plain-dfu")); // plain DFU has no STM32 profile
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personalities")
    void everyPersonalityIsRecognisedAsItsOwnKindByARow(String id) throws Exception {
        Stm32DeviceProfile profile = Stm32DeviceProfile.byId(id).orElseThrow();
        Identification.Kind expected = profile.board().isPresent() ? Identification.Kind.MBOOT : Identification.Kind.ST_ROM;
        try (DfuTransport t = SimulatedDevices.create(id).connect()) {
            List<AltSetting> alts = t.altSettings();
            boolean spiZones = alts.size() == 1 && (alts.get(0).name().contains("/0x80000000/")
                    || alts.get(0).name().contains("/0x90000000/"));
            Optional<RomSignatures.Row> row = RomSignatures.match(t.device(), spiZones);
            assertTrue(row.isPresent(), id + ": no signature row matches " + t.device());
            assertEquals(expected, row.get().kind(), id + " " + row.get());
            assertEquals(profile.leaveMode(), row.get().leave(), id + ": the row's leave mode is the profile's");
            // and the identifier, which evaluates the same rows, agrees
            assertEquals(expected, Identification.identify(t).kind(), id);
        }
    }

    @Test
    void rowsAreOrderedAndSpecific() {
        DeviceInfo h7 = new DeviceInfo(0x0483, 0xDF11, 0x0200, "", "DFU in FS Mode", "", "x", true);
        assertEquals(LeaveMode.RESET_HANDLER, RomSignatures.match(h7, false).orElseThrow().leave());
        DeviceInfo h7OtherBcd = new DeviceInfo(0x0483, 0xDF11, 0x2200, "", "DFU in FS Mode", "", "x", true);
        assertEquals(LeaveMode.VECTOR_TABLE, RomSignatures.match(h7OtherBcd, false).orElseThrow().leave());
        DeviceInfo padded = new DeviceInfo(0x0483, 0xDF11, 0x2200, "", " STM32   BOOTLOADER\u0000", "", "x", true);
        assertEquals(Identification.Kind.ST_ROM, RomSignatures.match(padded, false).orElseThrow().kind());
        DeviceInfo otherVid = new DeviceInfo(0x1209, 0xDF11, 0x2200, "STMicroelectronics", "STM32 BOOTLOADER", "", "x", true);
        assertFalse(RomSignatures.match(otherVid, false).isPresent(), "ST strings on another VID are not the ROM");
        DeviceInfo micropythonLike = new DeviceInfo(0x0483, 0xDF11, 0x2200, "MicroPythonX", "", "", "x", true);
        assertFalse(RomSignatures.match(micropythonLike, false).isPresent(), "the manufacturer must be MicroPython exactly");
        DeviceInfo mbootBcd = new DeviceInfo(0x1209, 0x0001, 0x0300, "", "", "", "x", true);
        assertFalse(RomSignatures.match(mbootBcd, false).isPresent(), "bcdDevice 0x0300 alone is not mboot");
        assertEquals(Identification.Kind.MBOOT, RomSignatures.match(mbootBcd, true).orElseThrow().kind());
        DeviceInfo oldF4 = new DeviceInfo(0x0483, 0xDF11, 0x2100, "STMicroelectronics", "STM32  BOOTLOADER", "", "x", true);
        assertTrue(RomSignatures.olderBootloader(oldF4, LeaveMode.VECTOR_TABLE).isPresent());
        assertFalse(RomSignatures.olderBootloader(oldF4, LeaveMode.RESET_HANDLER).isPresent());
    }
}
