package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import org.junit.jupiter.api.Test;

/**
 * A bank-2 erase that the H74x wedge recovery could not confirm ends with how to mass-erase with this
 * tool; the CLI decides from the error's phase and address and the profile's quirks, not from its text.
 */
class WedgeAdviceTest {
    private static DfuDevice open(String chip) throws Exception {
        DfuTransport t = SimulatedDevices.create(chip).connect();
        return Identification.identify(t).open(t);
    }

    @Test
    void aFailedBank2EraseOnAnH743NamesTheMassEraseFlags() throws Exception {
        try (DfuDevice h743 = open("stm32h743")) {
            var bank2 = FlashCommand.wedgeAdvice(DfuException.protocol("erase wedged and the sector is not blank",
                    Phase.ERASE, 0x08100000L, null, null), h743);
            assertTrue(bank2.isPresent());
            assertTrue(bank2.get().getMessage().endsWith("dfu flash FILE --mass-erase --force"), bank2.get().getMessage());
            assertFalse(FlashCommand.wedgeAdvice(DfuException.protocol("x", Phase.ERASE, 0x08000000L, null, null), h743)
                    .isPresent(), "bank 1 does not wedge");
            assertFalse(FlashCommand.wedgeAdvice(DfuException.protocol("x", Phase.WRITE, 0x08100000L, null, null), h743)
                    .isPresent(), "only erases wedge");
        }
        try (DfuDevice f405 = open("stm32f405")) {
            assertFalse(FlashCommand.wedgeAdvice(DfuException.protocol("x", Phase.ERASE, 0x08100000L, null, null), f405)
                    .isPresent(), "no wedge quirk on an F405");
        }
    }
}
