package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.testing.FakeDfuseDevice;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flash start of last resort comes from the device profile ({@link DeviceProfile#defaultFlashStart()}),
 * not from an STM32 address built into the generic API: without a layout, the generic profile refuses to
 * guess a leave address, and a profile that names its flash start leaves through it.
 */
class DefaultFlashStartTest {
    /** A DfuSe device whose only alternate setting names no layout dfu4j can parse. */
    private static FakeDfuseDevice withoutLayout() {
        return FakeDfuseDevice.builder().alt("@Internal Flash  /not a layout").build();
    }

    private static DeviceProfile startingAt(long start) {
        return new DeviceProfile() {
            @Override
            public String name() {
                return "board with flash at " + Long.toHexString(start);
            }

            @Override
            public LeaveMode leaveMode() {
                return LeaveMode.VECTOR_TABLE;
            }

            @Override
            public DfuQuirks quirks() {
                return DfuQuirks.defaults();
            }

            @Override
            public OptionalLong defaultFlashStart() {
                return OptionalLong.of(start);
            }
        };
    }

    @Test
    void theGenericProfileNamesNoFlashStart() {
        assertTrue(DeviceProfile.generic().defaultFlashStart().isEmpty());
    }

    @Test
    void withoutLayoutOrProfileFlashStartLeavingRefusesToGuessAnAddress() throws Exception {
        FakeDfuseDevice fake = withoutLayout();
        try (DfuDevice d = DfuDevice.open(fake)) {
            assertTrue(d.layouts().isEmpty(), "the layout must not parse for this test: " + d.layouts());
            DfuException e = assertThrows(DfuException.class, () -> d.leave(OptionalLong.empty(), Duration.ZERO));
            assertEquals(DfuException.Kind.LEAVE_ADDRESS, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("names no flash start"), e.getMessage());
        }
        assertFalse(fake.requests().stream().anyMatch(r -> r.request() == DfuRequest.DNLOAD), "nothing was sent to leave");
    }

    @Test
    void withoutLayoutTheProfileFlashStartIsTheLeaveAddress() throws Exception {
        try (DfuDevice d = DfuDevice.open(withoutLayout(), startingAt(0x0900_0000L))) {
            LeaveResult r = d.leave(OptionalLong.empty(), Duration.ZERO);
            assertEquals(OptionalLong.of(0x0900_0000L), r.address());
            assertEquals(LeaveResult.AddressSource.LAYOUT_START, r.addressSource());
        }
    }
}
