package io.github.dfu4j.stm32.optionbytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevices;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RDP levels and the explanation of the ROM's errVENDOR refusals, against the simulated ROM. */
class ReadProtectionTest {
    static final long FLASH = 0x0800_0000L;

    @Test
    void onlyAaAndCcAreLevels0And2() {
        for (int b = 0; b < 256; b++) {
            int expected = b == 0xAA ? 0 : b == 0xCC ? 2 : 1;
            assertEquals(expected, ReadProtection.level(b), String.format("0x%02X", b));
        }
    }

    private static DfuDevice protectedF405() throws DfuException {
        return DfuDevice.open(SimulatedDevices.create("stm32f405", SimOptions.defaults().withReadProtection(true)).connect());
    }

    @Test
    void uploadUnderRdp1IsExplained() throws Exception {
        DfuDevice dev = protectedF405();
        DfuException e = assertThrows(DfuException.class, () -> dev.upload(0, FLASH, 256, ProgressListener.NONE));
        assertTrue(ReadProtection.isReadProtectionError(e), e.getMessage());
        assertEquals(Optional.of("read protection (RDP level 1) is active; READ_UNPROTECT removes it and mass-erases the flash"),
                ReadProtection.explain(e));
    }

    @Test
    void eraseUnderRdp1IsExplained() throws Exception {
        DfuDevice dev = protectedF405();
        DfuException e = assertThrows(DfuException.class, () -> dev.erase(0, FLASH, FLASH + 1, ProgressListener.NONE));
        assertEquals(Optional.of(ReadProtection.EXPLANATION), ReadProtection.explain(e));
    }

    @Test
    void optionByteReadUnderRdp1IsExplained() throws Exception {
        DfuDevice dev = protectedF405();
        OptionByteLayout l = OptionByteLayouts.forChip("stm32f405").orElseThrow();
        DfuException e = assertThrows(DfuException.class, () -> OptionByteProgrammer.read(dev, l));
        assertTrue(ReadProtection.isReadProtectionError(e));
    }

    @Test
    void otherErrorsAreNotBlamedOnReadProtection() throws Exception {
        DfuDevice dev = DfuDevice.open(SimulatedDevices.create("stm32f405").connect());
        DfuException outside = assertThrows(DfuException.class, () -> dev.erase(0, 0x0810_0000L, 0x0810_0001L, ProgressListener.NONE));
        assertEquals(Optional.empty(), ReadProtection.explain(outside));
        DfuStatusReply target = DfuStatusReply.of(DfuStatus.ERR_TARGET, 0, DfuState.DFU_ERROR);
        assertEquals(Optional.empty(), ReadProtection.explain(DfuException.deviceStatus("erase", Phase.ERASE, FLASH, target, null, null)));
        DfuStatusReply vendor = DfuStatusReply.of(DfuStatus.ERR_VENDOR, 0, DfuState.DFU_ERROR);
        assertEquals(Optional.empty(), ReadProtection.explain(DfuException.deviceStatus("leave", Phase.LEAVE, null, vendor, null, null)));
        assertTrue(ReadProtection.explain(new RuntimeException(DfuException.deviceStatus("x", Phase.READ, FLASH, vendor, null, null)))
                .isPresent(), "found as a cause");
    }
}
