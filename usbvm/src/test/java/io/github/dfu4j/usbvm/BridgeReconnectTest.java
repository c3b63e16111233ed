package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BridgeMain's answer to a connection the host dropped: re-made while the device was never
 * configured on it (an enumeration answered too late), at most {@link BridgeMain#MAX_DROPPED_CONNECTIONS}
 * times in a row; a failure after the host configured the device ends the bridge as before.
 */
class BridgeReconnectTest {

    /** Each fake ends its connection with EVENT_FETCH failing (no more scripted events: EINVAL, as raw_gadget after the host gave up). */
    private static BridgeMain.GadgetOpener opener(List<FakeRawGadget> opened, boolean configureFirst) {
        return node -> {
            FakeRawGadget g = new FakeRawGadget();
            if (configureFirst) {
                g.queueSetup(0x00, 9, 1, 0, 0); // SET_CONFIGURATION 1
            }
            opened.add(g);
            return g;
        };
    }

    @Test
    void aConnectionDroppedBeforeConfigurationIsMadeAgainAFewTimesThenTheBridgeGivesUp() {
        List<FakeRawGadget> opened = new ArrayList<>();
        BridgeOptions options = BridgeOptions.parse("--sim", "stm32f405", "--udc", "dummy_udc.0");
        RawGadgetException e = assertThrows(RawGadgetException.class,
                () -> BridgeMain.run(options, SimulatorDevices::create, opener(opened, false)));
        assertEquals(RawGadgetException.EINVAL, e.errno());
        assertEquals(1 + BridgeMain.MAX_DROPPED_CONNECTIONS, opened.size(), "the first connection and 3 more");
        assertTrue(opened.stream().allMatch(g -> g.closed), "every dropped gadget was closed (the device left the bus)");
        assertEquals(List.of("INIT dummy_udc dummy_udc.0 FULL", "RUN"), opened.get(3).ops.subList(0, 2));
    }

    @Test
    void aFailureAfterTheHostConfiguredTheDeviceEndsTheBridge() {
        List<FakeRawGadget> opened = new ArrayList<>();
        BridgeOptions options = BridgeOptions.parse("--sim", "stm32f405", "--udc", "dummy_udc.0");
        assertThrows(RawGadgetException.class, () -> BridgeMain.run(options, SimulatorDevices::create, opener(opened, true)));
        assertEquals(1, opened.size());
    }
}
