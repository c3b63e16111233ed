package io.github.dfu4j.integration;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.dfu.internal.DeviceDrivers;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.dfu.DfuRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.Command;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every row of the quirks table on a simulated ROM that misbehaves that way (its own personality or a
 * SimOptions variant of one), flashed through the profile dfu4j picks: flash + verify succeeds, and
 * without the row's handling the failure is a precise typed exception.
 */
class RomQuirkPersonalityTest {

    private static FlashResult flash(SimulatedDevice d, DeviceProfile profile, FirmwareImage image, FlashOptions options)
            throws DfuException {
        DfuTransport t = d.connect();
        // a device still busy with a failed session's erase is waited for (up to the mass-erase budget)
        try (DfuDevice dev = profile instanceof Stm32DeviceProfile p ? p.open(t, p.quirks().budgets().massEraseBudget())
                : DfuDevice.open(t, profile)) {
            return dev.download(image, options, ProgressListener.NONE);
        }
    }

    private static FlashResult flashIdentified(SimulatedDevice d, FirmwareImage image, FlashOptions options) throws DfuException {
        DfuTransport t = d.connect();
        Identification id = Identification.identify(t);
        try (DfuDevice dev = id.open(t)) {
            return dev.download(image, options, ProgressListener.NONE);
        }
    }

    private static FirmwareImage app(SimulatedDevice d, int length) {
        long base = Firmware.appBase(d);
        return FirmwareImage.of(Segment.of(base, Firmware.application(base, Firmware.stackTop(Stm32Internals.chipOf(d)), length, Firmware.HANDLER, 0.3, 21)));
    }

    // ---- H743 rev V: bank-2 erase wedge --------------------------------------------------------------

    private static FirmwareImage withBank2(SimulatedDevice d) {
        return FirmwareImage.of(app(d, 8192).segments().get(0),
                Segment.of(0x0810_0000L, Firmware.random(2 * 128 * 1024 + 5000, 31))); // three bank-2 sectors
    }

    @Test
    void h743Bank2EraseWedgeIsRecoveredWithTheClearStatusPair() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        FirmwareImage image = withBank2(d);
        FlashResult r = flashIdentified(d, image, FlashOptions.defaults());
        assertTrue(r.verified());
        assertEquals(3, r.writes().wedgeRecoveries(), "one per bank-2 sector");
        Firmware.assertHolds(d, image);
        long clearStatus = d.trace().stream().filter(e -> e.request().request() == DfuRequest.CLRSTATUS).count();
        assertEquals(6, clearStatus, "CLRSTATUS, CLRSTATUS per wedged erase");
        assertTrue(d.elapsed().compareTo(Duration.ofSeconds(15)) >= 0, "each wedge costs the 5 s erase budget");

        // only the bank-2 erases were recovered: the bank-1 erase finished on its own, no CLRSTATUS for it
        assertTrue(d.trace().stream().filter(e -> e.request().request() == DfuRequest.DNLOAD)
                .filter(e -> e.request().command().orElse(null) instanceof Command.Erase).count() > 3);

        SimulatedDevice revY = SimulatedDevices.create("stm32h743", SimOptions.defaults().withoutQuirk(RomQuirk.BANK2_ERASE_WEDGE));
        FlashResult y = flashIdentified(revY, image, FlashOptions.defaults());
        assertEquals(0, y.writes().wedgeRecoveries());
        Firmware.assertHolds(revY, image);
    }

    @Test
    void aRecoveredWedgeIsReadBackBlankBeforeAnythingIsWrittenEvenWithVerifyOff() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        FirmwareImage image = withBank2(d);
        FlashResult r = flashIdentified(d, image, FlashOptions.builder().verify(false).build());
        assertEquals(3, r.writes().wedgeRecoveries());
        assertFalse(r.verified(), "verify was off");
        List<TraceEntry> trace = d.trace();
        int firstWrite = 0;
        while (!(trace.get(firstWrite).request().command().orElse(null) instanceof Command.Write)) {
            firstWrite++;
        }
        long blankCheckReads = trace.subList(0, firstWrite).stream().filter(e -> e.request().request() == DfuRequest.UPLOAD).count();
        assertEquals(3 * 128, blankCheckReads, "each wedged 128 KiB sector read back in 1 KiB blocks before the writes");
        Firmware.assertHolds(d, image);
    }

    @Test
    void withoutTheRecoveryTheWedgeIsATimeoutAndMassEraseIsTheFallback() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        FirmwareImage image = withBank2(d);
        Stm32DeviceProfile p = Stm32DeviceProfile.byId(Stm32Profiles.STM32H743.id()).orElseThrow();
        Stm32DeviceProfile noRecovery = p.withQuirks(p.quirks().toBuilder().wedgedEraseRecovery(false)
                .clearStatusOnlyInError(true).build());
        DfuException e = assertThrows(DfuException.class, () -> flash(d, noRecovery, image, FlashOptions.defaults()));
        assertEquals(DfuException.Kind.TIMEOUT, e.kind(), e.getMessage());
        assertEquals(Phase.ERASE, e.phase().orElseThrow());
        assertEquals(0x0810_0000L, e.address().getAsLong());
        assertTrue(e.getMessage().contains("mass erase instead of sector erases (FlashOptions.massErase(true))"), "the quirk table's fallback: " + e.getMessage());
        // the ROM stays wedged until a USB reset (or power cycle); then the documented fallback, mass erase
        DfuTransport t = d.connect();
        t.reset();
        t.close();
        FlashResult r = flash(d, p, image, FlashOptions.builder().massErase(true).build());
        assertTrue(r.verified());
        assertEquals(List.of(0), r.writes().massErased());
        assertEquals(0, r.writes().wedgeRecoveries());
        Firmware.assertHolds(d, image);
    }

    // ---- F405: mass erase reports 100 ms, takes up to 32 s -------------------------------------------------

    @Test
    void f405WorstCaseMassEraseFitsTheProfileBudgetButNotATrustingHost() throws Exception {
        SimOptions worst = SimOptions.defaults().withWorstCaseTiming(true);
        SimulatedDevice d = SimulatedDevices.create("stm32f405", worst);
        FirmwareImage image = app(d, 20_000);
        FlashResult r = flashIdentified(d, image, FlashOptions.builder().massErase(true).build());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        assertTrue(r.timings().erase().compareTo(Duration.ofSeconds(32)) >= 0, "the erase really took 32 s: " + r.timings());
        assertTrue(d.trace().stream().anyMatch(e -> e.request().command().orElse(null) instanceof Command.MassErase
                || (e.request().request() == DfuRequest.GETSTATUS && e.request().command().orElse(null) instanceof Command.MassErase)));

        // a host that believes the 100 ms (5 s budget, dfu-util's 5 s USB timeout) gives up
        SimulatedDevice d2 = SimulatedDevices.create("stm32f405", worst);
        Stm32DeviceProfile p = Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow();
        Stm32DeviceProfile trusting = p.withQuirks(p.quirks().toBuilder().massEraseBudget(Duration.ofSeconds(5)).build());
        DfuException e = assertThrows(DfuException.class,
                () -> flash(d2, trusting, image, FlashOptions.builder().massErase(true).build()));
        assertEquals(DfuException.Kind.TIMEOUT, e.kind(), e.getMessage());
        assertEquals(Phase.ERASE, e.phase().orElseThrow());
        FlashResult again = flash(d2, p, image, FlashOptions.defaults()); // recoverable: a fresh session flashes
        assertTrue(again.verified());
        Firmware.assertHolds(d2, image);
    }

    // ---- STM32L4-style: GETSTATUS stalls while erasing ------------------------------------------------------

    @Test
    void l4StyleStatusStallsAreWaitedOutWithTheQuirk() throws Exception {
        SimOptions l4 = SimOptions.defaults().withQuirk(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING);
        SimulatedDevice d = SimulatedDevices.create("stm32f405", l4);
        FirmwareImage image = Firmware.multiSector(d, 41); // includes the 64 KiB sector 4 (550 ms erase)
        Stm32DeviceProfile p = Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow().withRomQuirks(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING);
        FlashResult r = flash(d, p, image, FlashOptions.defaults());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        long stalls = d.trace().stream().filter(e -> e.request().request() == DfuRequest.GETSTATUS
                && e.result() == TraceEntry.Result.STALL).count();
        assertTrue(stalls > 3, "more stalls than busyRetries: " + stalls);

        // an unlisted ST ROM gets the tolerant generic profile, which copes as well
        SimulatedDevice unknown = SimulatedDevices.create("stm32f405", l4);
        FlashResult g = flash(unknown, Stm32DeviceProfile.unknownStRom(io.github.dfu4j.ops.LeaveMode.VECTOR_TABLE), image,
                FlashOptions.defaults());
        assertTrue(g.verified());
        Firmware.assertHolds(unknown, image);
    }

    @Test
    void l4StyleStatusStallsWithoutTheQuirkAreATypedErrorAndTheDeviceRecovers() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withQuirk(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING));
        FirmwareImage image = Firmware.multiSector(d, 42);
        Stm32DeviceProfile plain = Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow();
        DfuException e = assertThrows(DfuException.class, () -> flash(d, plain, image, FlashOptions.defaults()));
        assertEquals(Phase.ERASE, e.phase().orElseThrow());
        assertTrue(e.getMessage().contains("GETSTATUS failed 4 times in a row"), e.getMessage());
        FlashResult r = flash(d, plain.withRomQuirks(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING), image, FlashOptions.defaults());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
    }

    // ---- STM32U5A9: skips dfuDNBUSY ---------------------------------------------------------------------------

    @Test
    void u5a9StyleSkippedBusyStateIsAcceptedAndAStrictHostSaysWhy() throws Exception {
        SimOptions u5 = SimOptions.defaults().withQuirk(RomQuirk.SKIPS_DNBUSY);
        SimulatedDevice d = SimulatedDevices.create("stm32f405", u5);
        FirmwareImage image = Firmware.multiSector(d, 51);
        FlashResult r = flashIdentified(d, image, FlashOptions.defaults());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        assertFalse(d.trace().stream().anyMatch(e -> e.stateAfter() == DfuState.DFU_DNBUSY), "never reported dfuDNBUSY");

        SimulatedDevice strict = SimulatedDevices.create("stm32f405", u5);
        Stm32DeviceProfile p = Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow();
        Stm32DeviceProfile pydfuLike = p.withQuirks(p.quirks().toBuilder().deviceMaySkipBusy(false).build());
        DfuException e = assertThrows(DfuException.class, () -> flash(strict, pydfuLike, image, FlashOptions.defaults()));
        assertEquals(DfuException.Kind.PROTOCOL, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("without dfuDNBUSY"), e.getMessage());
    }

    // ---- STM32C071: leave needs a SET_ADDRESS --------------------------------------------------------------------

    @Test
    void c071StyleLeaveNeedsASetAddress() throws Exception {
        SimOptions c071 = SimOptions.defaults().withQuirk(RomQuirk.LEAVE_NEEDS_SET_ADDRESS);
        SimulatedDevice d = SimulatedDevices.create("stm32f072", c071);
        FirmwareImage image = app(d, 6000);
        // a download with leave sends SET_ADDRESS(vector table) anyway
        FlashResult r = flashIdentified(d, image, FlashOptions.builder().leave(LeaveRequest.auto()).build());
        assertTrue(r.leave().orElseThrow().left());
        assertTrue(d.runningApplication().isPresent());

        // the leave request alone (dfu-util -s :leave / -e: no SET_ADDRESS): the ROM refuses
        Stm32DeviceProfile p = Stm32DeviceProfile.byId(Stm32Profiles.STM32F072.id()).orElseThrow();
        DfuTransport t = d.connect();
        try (DfuDevice dev = DfuDevice.open(t, p)) {
            DfuException e = assertThrows(DfuException.class, () -> DeviceDrivers.of(dev).leave(0));
            assertEquals(DfuException.Kind.DEVICE_STATUS, e.kind(), e.getMessage());
            assertEquals(DfuStatus.ERR_UNKNOWN, e.status().orElseThrow());
            assertEquals(Phase.LEAVE, e.phase().orElseThrow());
        }
        // dfu4j's bare leave on a vector-table ROM always sends the flash start, quirk or not
        DfuTransport t1 = d.connect();
        try (DfuDevice dev = DfuDevice.open(t1, p)) {
            LeaveResult leave = dev.leave(OptionalLong.empty());
            assertEquals(LeaveResult.AddressSource.LAYOUT_START, leave.addressSource());
            assertTrue(leave.left(), leave.toString());
        }
        assertEquals(0x0800_0000L, d.runningApplication().orElseThrow().vectorTable());
        // with the quirk the flash start is sent first and the application starts
        Stm32DeviceProfile withQuirk = p.withRomQuirks(RomQuirk.LEAVE_NEEDS_SET_ADDRESS);
        DfuTransport t2 = d.connect();
        try (DfuDevice dev = DfuDevice.open(t2, withQuirk)) {
            LeaveResult leave = dev.leave(OptionalLong.empty());
            assertEquals(LeaveResult.AddressSource.LAYOUT_START, leave.addressSource());
            assertTrue(leave.left(), leave.toString());
        }
        assertEquals(0x0800_0000L, d.runningApplication().orElseThrow().vectorTable());
    }

    // ---- STM32C5: CLRSTATUS outside dfuERROR stalls ------------------------------------------------------------

    private static final SimOptions C5 = SimOptions.defaults().withQuirk(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR);

    @Test
    void c5StyleRomStallsAClearStatusOutsideTheErrorStateWhereStMiddlewareAcknowledgesIt() throws Exception {
        SimulatedDevice c5 = SimulatedDevices.create("stm32f405", C5);
        DfuTransport t = c5.connect();
        assertEquals(DfuState.DFU_IDLE, c5.state());
        TransportException stall = assertThrows(TransportException.class,
                () -> t.controlOut(DfuRequest.CLRSTATUS.code(), 0, new byte[0], Duration.ofSeconds(5)));
        assertEquals(TransportException.Kind.STALL, stall.kind());
        // a stalled request in dfuIDLE moves the ROM to dfuERROR (DFU 1.1 table, docs/reference/dfu.md §1.4)
        assertEquals(DfuState.DFU_ERROR, c5.state());
        assertEquals(DfuStatus.ERR_STALLEDPKT, c5.status());
        // in dfuERROR the same request is the one that clears it
        t.controlOut(DfuRequest.CLRSTATUS.code(), 0, new byte[0], Duration.ofSeconds(5));
        assertEquals(DfuState.DFU_IDLE, c5.state());
        assertEquals(DfuStatus.OK, c5.status());
        t.close();

        // the personality it is built on (ST's DfuSe middleware) acknowledges it and reports errUNKNOWN instead
        SimulatedDevice st = SimulatedDevices.create("stm32f405");
        DfuTransport t2 = st.connect();
        t2.controlOut(DfuRequest.CLRSTATUS.code(), 0, new byte[0], Duration.ofSeconds(5));
        assertEquals(DfuState.DFU_ERROR, st.state());
        assertEquals(DfuStatus.ERR_UNKNOWN, st.status());
        t2.close();
    }

    @Test
    void c5StyleRomHasItsFunctionalDescriptorOnlyInTheConfiguration() {
        SimulatedDevice c5 = SimulatedDevices.create("stm32f405", C5);
        assertTrue(c5.endpoint().control(0x80, 6, 0x2100, 0, 9, new byte[0]).stalled(), "no standalone GET_DESCRIPTOR(0x21)");
        byte[] config = c5.endpoint().configurationDescriptor();
        byte[] functional = java.util.Arrays.copyOfRange(config, config.length - 9, config.length);
        assertEquals(0x21, functional[1], "the functional descriptor ends the configuration descriptor");
        assertEquals(2048, (functional[5] & 0xFF) | (functional[6] & 0xFF) << 8);
        assertArrayEquals(functional, c5.connect().functionalDescriptor(), "what the transport reports comes from there");
        SimulatedDevice st = SimulatedDevices.create("stm32f405");
        assertArrayEquals(functional, st.endpoint().control(0x80, 6, 0x2100, 0, 9, new byte[0]).data());
    }

    @Test
    void c5StyleRomFlashesWithTheRowBecauseItNeverSeesAClearStatusOutsideTheErrorState() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", C5.withFirmwareErrorAtStart(true));
        FirmwareImage image = Firmware.multiSector(d, 61);
        // the row is forced (no device ID is known for the C5); its effect is dfu-api's default anyway
        Stm32DeviceProfile withRow = Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow()
                .withRomQuirks(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR);
        assertTrue(withRow.quirks().clearStatusOnlyInError());
        assertFalse(withRow.quirks().wedgedErase().recover());
        FlashResult r = flash(d, withRow, image, FlashOptions.builder().leave(LeaveRequest.auto()).build());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        List<TraceEntry> clears = d.trace().stream().filter(e -> e.request().request() == DfuRequest.CLRSTATUS).toList();
        assertEquals(1, clears.size(), "only the one that clears errFIRMWARE at the start");
        assertEquals(DfuState.DFU_ERROR, clears.get(0).request().state());
        assertTrue(d.trace().stream().noneMatch(e -> e.result() == TraceEntry.Result.STALL));
        assertTrue(r.leave().orElseThrow().left());
    }

    @Test
    void aHostThatClearsStatusFirstGetsAStallFromAC5StyleRomAndTheNextSessionRecovers() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", C5);
        FirmwareImage image = Firmware.multiSector(d, 62);
        // without the row: a dfu-core-like host starts with CLRSTATUS although the ROM is in dfuIDLE 
        // (docs/reference/dfu.md §2.7 item 2, R17-dfurs)
        Stm32DeviceProfile p = Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow();
        DfuTransport t = d.connect();
        try (DfuDevice dev = DfuDevice.open(t, p)) {
            DfuException e = assertThrows(DfuException.class, () -> DeviceDrivers.of(dev).clearStatus(Phase.SETUP));
            assertEquals(DfuException.Kind.TRANSFER, e.kind(), e.getMessage());
            assertEquals(TransportException.Kind.STALL, e.transportError().orElseThrow().kind());
            assertEquals(Phase.SETUP, e.phase().orElseThrow());
            assertTrue(e.getMessage().contains("CLRSTATUS"), e.getMessage());
        }
        assertEquals(DfuState.DFU_ERROR, d.state());
        assertEquals(DfuStatus.ERR_STALLEDPKT, d.status());
        // with the row the next session clears dfuERROR with the one CLRSTATUS the ROM accepts, then flashes
        FlashResult r = flash(d, p.withRomQuirks(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR), image, FlashOptions.defaults());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
    }

    // ---- STM32G4: 1 KiB writes ------------------------------------------------------------------------------------

    /** A G4-like ROM whose functional descriptor claims 2048 bytes but which stalls DNLOADs above 1024. */
    private static SimulatedDevice g4(String personality) {
        return SimulatedDevices.create(personality, SimOptions.defaults().withQuirk(RomQuirk.LARGE_BLOCKS_STALL));
    }

    @Test
    void g4StyleRomClaiming2048StallsBlocksAbove1024() throws Exception {
        SimulatedDevice d = g4("stm32f405");
        DfuTransport t = d.connect();
        byte[] fd = t.functionalDescriptor();
        assertEquals(2048, (fd[5] & 0xFF) | (fd[6] & 0xFF) << 8, "the descriptor over-claims");
        TransportException stall = assertThrows(TransportException.class,
                () -> t.controlOut(DfuRequest.DNLOAD.code(), 2, new byte[2048], Duration.ofSeconds(5)));
        assertEquals(TransportException.Kind.STALL, stall.kind());
        assertEquals(DfuState.DFU_ERROR, d.state());
        assertEquals(DfuStatus.ERR_STALLEDPKT, d.status());
        t.controlOut(DfuRequest.CLRSTATUS.code(), 0, new byte[0], Duration.ofSeconds(5));
        t.controlOut(DfuRequest.DNLOAD.code(), 2, new byte[1024], Duration.ofSeconds(5));
        assertEquals(DfuState.DFU_DNLOAD_SYNC, d.state(), "1024 bytes are taken");
        t.close();
    }

    @Test
    void g4StyleRomFlashesIn1KiBBlocksWhenItsDeviceIdSelectsTheRow() throws Exception {
        SimulatedDevice d = g4("stm32f405");
        FirmwareImage image = Firmware.multiSector(d, 72);
        DfuTransport t = d.connect();
        Identification id = Identification.identify(t, OptionalInt.of(0x468));
        assertTrue(id.quirks().contains(RomQuirk.LARGE_BLOCKS_STALL), id.quirks().toString());
        FlashResult r;
        try (DfuDevice dev = id.open(t)) {
            r = dev.download(image, FlashOptions.defaults(), ProgressListener.NONE);
        }
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        List<TraceEntry> writes = d.trace().stream().filter(e -> e.request().request() == DfuRequest.DNLOAD
                && e.request().command().orElse(null) instanceof Command.Write).toList();
        assertTrue(writes.stream().allMatch(e -> e.request().length() <= 1024), "no block above 1024 bytes");
        assertTrue(writes.stream().anyMatch(e -> e.request().length() == 1024));
        assertTrue(d.trace().stream().noneMatch(e -> e.result() == TraceEntry.Result.STALL));

        // forcing the row on the chip's own profile does the same (dfu --quirk LARGE_BLOCKS_STALL)
        SimulatedDevice forced = g4("stm32f405");
        FlashResult f = flash(forced, Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow().withRomQuirks(RomQuirk.LARGE_BLOCKS_STALL),
                image, FlashOptions.defaults());
        assertTrue(f.verified());
        Firmware.assertHolds(forced, image);
    }

    @Test
    void withoutTheRowAG4StyleRomStallsTheFirstWriteAndTheErrorSaysSo() throws Exception {
        SimulatedDevice d = g4("stm32f405");
        FirmwareImage image = Firmware.multiSector(d, 73);
        DfuException e = assertThrows(DfuException.class, () -> flashIdentified(d, image, FlashOptions.defaults()));
        assertEquals(DfuException.Kind.DEVICE_STATUS, e.kind(), e.getMessage());
        assertEquals(Phase.WRITE, e.phase().orElseThrow(), e.getMessage());
        assertEquals(DfuStatus.ERR_STALLEDPKT, e.status().orElseThrow());
        // the first block written: the vector-table sector (0x08000000) is written last
        assertEquals(0x0800_4000L, e.address().getAsLong(), e.getMessage());
        assertEquals("WRITE @0x08004000: device refused WRITE (block 2) [errSTALLEDPKT, dfuERROR: device stalled an unexpected"
                + " request]", e.getMessage());
        assertTrue(d.trace().stream().anyMatch(x -> x.result() == TraceEntry.Result.STALL && x.request().length() == 2048),
                "the stalled request was a 2048-byte DNLOAD");
        // the ROM is left in (errSTALLEDPKT, dfuERROR): a session with the row clears it and flashes
        FlashResult r = flash(d, Stm32DeviceProfile.byId(Stm32Profiles.STM32F405.id()).orElseThrow().withRomQuirks(RomQuirk.LARGE_BLOCKS_STALL),
                image, FlashOptions.defaults());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
    }

    @Test
    void g4StyleRomReportingItsRealTransferSizeGetsBlocksOfThatSizeWithoutTheRow() throws Exception {
        SimOptions g4 = SimOptions.defaults().withTransferSize(1024);
        SimulatedDevice d = SimulatedDevices.create("stm32f072", g4);
        FirmwareImage image = Firmware.multiSector(d, 71);
        FlashResult r = flashIdentified(d, image, FlashOptions.defaults());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        assertTrue(d.trace().stream().filter(e -> e.request().request() == DfuRequest.DNLOAD)
                .allMatch(e -> e.request().length() <= 1024), "no DNLOAD above wTransferSize");
        assertTrue(d.trace().stream().anyMatch(e -> e.request().request() == DfuRequest.DNLOAD && e.request().length() == 1024));
        Stm32DeviceProfile capped = Stm32DeviceProfile.byId(Stm32Profiles.STM32F072.id()).orElseThrow().withRomQuirks(RomQuirk.LARGE_BLOCKS_STALL);
        assertEquals(1024, capped.quirks().effectiveTransferSize(2048));
        assertInstanceOf(Stm32DeviceProfile.class, capped);
    }
}
