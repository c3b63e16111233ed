package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.testing.FakeDfuseDevice;
import io.github.dfu4j.testing.FakeDfuseDevice.Fault;
import io.github.dfu4j.testing.FakeDfuseDevice.Op;
import io.github.dfu4j.testing.Images;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults at every phase of a download against the strict fake. For every case: the outcome is either
 * success with the image in memory, or the expected typed exception with its phase; the device is
 * recoverable (a new session, after a power cycle only where the fault needs one, flashes correctly);
 * and the host never breaks the protocol.
 */
class FaultInjectionTest {
    private static final long FLASH = 0x08000000L;
    private static final FirmwareImage IMAGE = Images.image(FLASH, 40 * 1024, 77);

    /** What a case must end in. */
    record Expect(DfuException.Kind error, Phase phase, LeaveResult.Outcome leave) {
        static Expect ok() {
            return new Expect(null, null, null);
        }

        static Expect ok(LeaveResult.Outcome leave) {
            return new Expect(null, null, leave);
        }

        static Expect fails(DfuException.Kind error, Phase phase) {
            return new Expect(error, phase, null);
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        // erase (2nd sector erase), the first SET_ADDRESS of the write phase, the 5th data block
        for (Op op : new Op[] {Op.ERASE, Op.SET_ADDRESS, Op.WRITE}) {
            Phase phase = op == Op.ERASE ? Phase.ERASE : Phase.WRITE;
            int nth = op == Op.WRITE ? 5 : op == Op.ERASE ? 2 : 1;
            DfuStatus status = op == Op.ERASE ? DfuStatus.ERR_ERASE : op == Op.WRITE ? DfuStatus.ERR_WRITE : DfuStatus.ERR_TARGET;
            cases.add(Arguments.of(op, nth, Fault.STALL_STATUS, status, Expect.ok()));
            cases.add(Arguments.of(op, nth, Fault.TIMEOUT_STATUS, status, Expect.ok()));
            // a run of stalls at one request outlasts the exchange's retries: one transient fault, resumed
            cases.add(Arguments.of(op, nth, Fault.STALL_STATUS_REPEATEDLY, status, Expect.ok()));
            // the fake does not come back after a disconnect (reopenInDfuMode finds nothing): no resume
            cases.add(Arguments.of(op, nth, Fault.DISCONNECT, status, Expect.fails(DfuException.Kind.TRANSFER, phase)));
            // a refusal (errERASE, errWRITE, errTARGET) is not retried
            cases.add(Arguments.of(op, nth, Fault.ERROR_STATUS, status, Expect.fails(DfuException.Kind.DEVICE_STATUS, phase)));
            // a stalled request (dfuERROR, errSTALLEDPKT) is transient: CLRSTATUS and resume
            cases.add(Arguments.of(op, nth, Fault.STALL_REQUEST, status, Expect.ok()));
            cases.add(Arguments.of(op, nth, Fault.HANG, status, Expect.fails(DfuException.Kind.TIMEOUT, phase)));
        }
        cases.add(Arguments.of(Op.WRITE, 7, Fault.CORRUPT, DfuStatus.OK, Expect.fails(DfuException.Kind.VERIFY, Phase.VERIFY)));
        // verify: the 3rd UPLOAD
        // a stalled or timed-out read is read again (resume); errVENDOR (read protection) is not retried
        cases.add(Arguments.of(Op.UPLOAD, 3, Fault.STALL_REQUEST, DfuStatus.OK, Expect.ok()));
        cases.add(Arguments.of(Op.UPLOAD, 3, Fault.ERROR_STATUS, DfuStatus.ERR_VENDOR, Expect.fails(DfuException.Kind.DEVICE_STATUS, Phase.VERIFY)));
        cases.add(Arguments.of(Op.UPLOAD, 3, Fault.TIMEOUT_STATUS, DfuStatus.OK, Expect.ok()));
        cases.add(Arguments.of(Op.UPLOAD, 3, Fault.DISCONNECT, DfuStatus.OK, Expect.fails(DfuException.Kind.TRANSFER, Phase.VERIFY)));
        cases.add(Arguments.of(Op.UPLOAD, 3, Fault.CORRUPT, DfuStatus.OK, Expect.fails(DfuException.Kind.VERIFY, Phase.VERIFY)));
        // leave
        cases.add(Arguments.of(Op.LEAVE, 1, Fault.DISCONNECT, DfuStatus.OK, Expect.ok(LeaveResult.Outcome.DISCONNECTED)));
        cases.add(Arguments.of(Op.LEAVE, 1, Fault.STALL_STATUS, DfuStatus.OK, Expect.ok(LeaveResult.Outcome.LEFT)));
        cases.add(Arguments.of(Op.LEAVE, 1, Fault.ERROR_STATUS, DfuStatus.ERR_TARGET, Expect.ok(LeaveResult.Outcome.FAILED)));
        cases.add(Arguments.of(Op.LEAVE, 1, Fault.STALL_REQUEST, DfuStatus.OK, Expect.ok(LeaveResult.Outcome.FAILED)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{2} at {0} #{1}")
    @MethodSource("matrix")
    void faultEndsInSuccessWithTheRightMemoryOrInTheTypedError(Op op, int nth, Fault fault, DfuStatus status, Expect expect)
            throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4().inject(op, nth, fault, status);
        FlashOptions options = FlashOptions.builder().addressing(AddressingMode.BLOCK_NUMBER)
                .leave(op == Op.LEAVE ? LeaveRequest.auto() : LeaveRequest.none()).build();
        FlashResult result = null;
        DfuException error = null;
        try (DfuDevice d = DfuDevice.open(fake)) {
            result = d.download(IMAGE, options, ProgressListener.NONE);
        } catch (DfuException e) {
            error = e;
        }

        if (expect.error() == null) {
            if (error != null) {
                fail("expected success, got " + error.getMessage(), error);
            }
            assertTrue(result.verified());
            assertImage(fake);
            if (expect.leave() != null) {
                assertEquals(expect.leave(), result.leave().orElseThrow().outcome());
            }
        } else {
            if (error == null) {
                fail("expected " + expect.error() + " but the download reported success");
            }
            assertEquals(expect.error(), error.kind(), error.getMessage());
            assertEquals(expect.phase(), error.phase().orElseThrow(), error.getMessage());
            assertFalse(error.getMessage().isBlank());
            if (error.kind() == DfuException.Kind.DEVICE_STATUS && fault == Fault.ERROR_STATUS) {
                assertEquals(status, error.status().orElseThrow());
            }
            if (fault == Fault.DISCONNECT) {
                assertTrue(error.isDisconnect());
            }
        }
        assertEquals(List.of(), fake.violations(), "host protocol violations");

        // recoverable: a new session brings the device back to dfuIDLE and flashes correctly
        if (fault == Fault.DISCONNECT || fault == Fault.HANG || op == Op.LEAVE) {
            fake.reconnect(); // unplugged, hung or left: needs a power cycle / comes back in the bootloader
        }
        try (DfuDevice d = DfuDevice.open(fake)) {
            FlashResult again = d.download(IMAGE, FlashOptions.defaults(), ProgressListener.NONE);
            assertTrue(again.verified());
        }
        assertImage(fake);
        assertEquals(List.of(), fake.violations(), "host protocol violations during recovery");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"CORRUPT", "ERROR_STATUS", "STALL_REQUEST", "DISCONNECT", "HANG"})
    void withAutomaticAddressingAFaultNeverEndsInSuccessWithWrongMemory(Fault fault) throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4().inject(Op.WRITE, 3, fault, DfuStatus.ERR_PROG);
        try (DfuDevice d = DfuDevice.open(fake)) {
            FlashResult r = d.download(IMAGE, FlashOptions.defaults(), ProgressListener.NONE);
            assertTrue(r.verified());
            assertImage(fake);
        } catch (DfuException e) {
            assertTrue(e.phase().isPresent(), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"DISCONNECT", "ERROR_STATUS", "HANG", "STALL_STATUS"})
    void massEraseFaults(Fault fault) throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4().inject(Op.MASS_ERASE, 1, fault, DfuStatus.ERR_ERASE);
        try (DfuDevice d = DfuDevice.open(fake)) {
            FlashResult r = d.download(IMAGE, FlashOptions.builder().massErase(true).build(), ProgressListener.NONE);
            assertEquals(Fault.STALL_STATUS, fault, "only a single stall is survivable");
            assertTrue(r.verified());
            assertImage(fake);
        } catch (DfuException e) {
            assertEquals(Phase.ERASE, e.phase().orElseThrow());
            DfuException.Kind expected = switch (fault) {
                case DISCONNECT -> DfuException.Kind.TRANSFER;
                case ERROR_STATUS -> DfuException.Kind.DEVICE_STATUS;
                default -> DfuException.Kind.TIMEOUT;
            };
            assertEquals(expected, e.kind(), e.getMessage());
        }
        assertEquals(List.of(), fake.violations());
    }

    private static void assertImage(FakeDfuseDevice fake) {
        for (Segment s : IMAGE.segments()) {
            assertArrayEquals(s.bytes(), fake.read(0, s.address(), s.length()));
        }
    }
}
