package io.github.dfu4j.integration;

import io.github.dfu4j.dfu.DfuRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.Command;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.RequestMatcher;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import io.github.dfu4j.transport.DfuTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults at every step of a flash (erase, write, verify, leave; at the DNLOAD and at its GETSTATUS)
 * on the F405 ROM, the H743 ROM and mboot: each ends either in success with the image in memory or
 * in a typed one-line {@link DfuException}; never a success with wrong memory. A stall, a timeout or a
 * disconnect (the device re-attaches after a second) is resumed and ends in success; an error status
 * (a refusal) ends in the typed error. Afterwards a fresh session opens the device and flashes it
 * correctly.
 */
class FaultMatrixTest {

    /** Where the fault hits. */
    enum Point {
        ERASE_REQUEST(f -> FaultRule.nth(2, RequestMatcher.command(Command.Erase.class), f), DfuStatus.ERR_ERASE, Phase.ERASE),
        ERASE_STATUS(f -> FaultRule.nth(2, RequestMatcher.getStatusFor(Command.Erase.class), f), DfuStatus.ERR_ERASE, Phase.ERASE),
        WRITE_REQUEST(f -> FaultRule.nth(3, RequestMatcher.command(Command.Write.class), f), DfuStatus.ERR_WRITE, Phase.WRITE),
        WRITE_STATUS(f -> FaultRule.nth(3, RequestMatcher.getStatusFor(Command.Write.class), f), DfuStatus.ERR_PROG, Phase.WRITE),
        // after the first write: the H743's wedged bank-2 erases are read back (blank check) before any write
        VERIFY_UPLOAD(f -> FaultRule.nth(2, afterFirstWrite(RequestMatcher.request(DfuRequest.UPLOAD)), f), DfuStatus.ERR_VENDOR,
                Phase.VERIFY),
        LEAVE_REQUEST(f -> FaultRule.first(RequestMatcher.command(Command.Leave.class), f), DfuStatus.ERR_UNKNOWN, Phase.LEAVE),
        LEAVE_STATUS(f -> FaultRule.first(RequestMatcher.getStatusFor(Command.Leave.class), f), DfuStatus.ERR_FIRMWARE, Phase.LEAVE);

        final Function<Fault, FaultRule> rule;
        final DfuStatus status;
        /** The phase a typed error from this point must name. */
        final Phase phase;

        Point(Function<Fault, FaultRule> rule, DfuStatus status, Phase phase) {
            this.rule = rule;
            this.status = status;
            this.phase = phase;
        }

        /** Erase and write failures concern one sector or block: their errors must say which. */
        boolean needsAddress() {
            return phase == Phase.ERASE || phase == Phase.WRITE;
        }
    }

    /** Requests {@code m} matches once a data block was written (a fresh state per rule). */
    private static RequestMatcher afterFirstWrite(RequestMatcher m) {
        boolean[] written = {false};
        return r -> {
            written[0] |= r.request() == DfuRequest.DNLOAD && r.command().filter(Command.Write.class::isInstance).isPresent();
            return written[0] && m.matches(r);
        };
    }

    /** What goes wrong. */
    enum Kind { STALL, TIMEOUT, DISCONNECT, ERROR_STATUS }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (String id : List.of("stm32f405", "stm32h743", "mboot-pybd-sf2")) {
            for (Point p : Point.values()) {
                for (Kind k : Kind.values()) {
                    out.add(Arguments.of(id, p, k));
                }
            }
        }
        return out.stream();
    }

    private static Fault fault(Kind k, Point p) {
        return switch (k) {
            case STALL -> Fault.stall();
            case TIMEOUT -> Fault.timeout();
            case DISCONNECT -> Fault.disconnect();
            case ERROR_STATUS -> Fault.status(p.status);
        };
    }

    /**
     * A new session. A device whose final leave GETSTATUS was lost still sits in dfuMANIFEST-SYNC: the
     * first GETSTATUS of the new session makes it leave, so the user puts it into DFU mode once more.
     */
    private static DfuDevice reopen(SimulatedDevice d, Stm32DeviceProfile profile) throws DfuException {
        try {
            return profile.open(d.connect(), profile.quirks().budgets().massEraseBudget());
        } catch (DfuException e) { // a TRANSFER failure: the device is gone, or rethrown
            if (!e.isDisconnect()) {
                throw e;
            }
            return profile.open(d.connect(), profile.quirks().budgets().massEraseBudget());
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void aFaultEndsInATypedErrorOrInTheRightMemoryAndTheDeviceRecovers(String id, Point point, Kind kind) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withFaults(point.rule.apply(fault(kind, point))));
        FirmwareImage image = Firmware.multiSector(d, 1000 + point.ordinal());
        DfuTransport t = d.connect();
        Identification ident = Identification.identify(t);
        Stm32DeviceProfile profile = ident.stm32Profile().orElseThrow();
        try (DfuDevice dev = ident.open(t)) {
            FlashResult r = dev.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
            assertTrue(r.verified(), "a returned result is verified");
            assertTrue(Firmware.holds(d, image), id + " " + point + " " + kind + ": success reported but memory differs from the image");
            LeaveResult leave = r.leave().orElseThrow();
            if (leave.outcome() == LeaveResult.Outcome.FAILED) {
                DfuException e = leave.error().orElseThrow(() -> new AssertionError("a failed leave carries its exception"));
                assertEquals(point.phase, e.phase().orElse(null), "a failed leave is a LEAVE error from " + point + ": " + e);
                // the leave address travels with the error (none for mboot, which ignores it)
                assertEquals(leave.address(), e.address(), "leave error names its address: " + e.getMessage());
            }
        } catch (DfuException e) {
            // a stall, a timeout or a disconnect the device comes back from is resumed (docs/user-guide.md,
            // "Resume after a transient fault"); only the device's refusals end the flash
            assertEquals(Kind.ERROR_STATUS, kind, id + " " + point + " " + kind + " was not resumed: " + e.getMessage());
            assertNotEquals(DfuException.Kind.OTHER, e.kind(), "a specific kind: " + e);
            assertTrue(e.phase().isPresent(), "the phase is named: " + e.getMessage());
            assertEquals(point.phase, e.phase().orElseThrow(), id + " " + point + " " + kind + ": " + e.getMessage());
            if (point.needsAddress()) {
                assertTrue(e.address().isPresent(), "an " + point.phase + " error names its address: " + e.getMessage());
            }
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        assertTrue(d.trace().stream().anyMatch(e -> e.fault().isPresent()), "the fault was injected: " + point + " " + kind);

        // recoverable: a new session opens the device (once it finished what it was doing) and flashes it
        d.clearFaults();
        try (DfuDevice again = reopen(d, profile)) {
            FlashResult r = again.download(image, FlashOptions.defaults(), ProgressListener.NONE);
            assertTrue(r.verified());
        }
        Firmware.assertHolds(d, image);
        assertTrue(d.trace().stream().filter(e -> e.result() == TraceEntry.Result.NO_DEVICE).count() <= 2);
    }
}
