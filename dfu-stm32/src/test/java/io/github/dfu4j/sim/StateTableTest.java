package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimOptions.UsbTiming;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every DFU-mode state x every DFU request, against tables written here from the 
 * (docs/reference/dfu.md §1.4 DFU 1.1 table; §2.2-§2.5 DfuSe deviations; §2.7 item 2 CLRSTATUS; docs/reference/mboot.md §5.3 mboot), not from
 * the simulator's code. A cell is "result:state": A ack, D data, S stall, G device gone; the state
 * is the device state afterwards, or for GETSTATUS/GETSTATE the bState in the reply.
 */
class StateTableTest {
    static final long FLASH = 0x0800_0000L;
    static final List<String> REQUESTS = List.of("DETACH", "DNLOAD", "DNLOAD0", "UPLOAD", "GETSTATUS", "CLRSTATUS", "GETSTATE", "ABORT");

    /**
     * ST ROM. Every ROM NAKs while busy, so the DNBUSY row is only visible on a REPORT_DNBUSY variant
     * and on the H743 after a wedged bank-2 erase (row "WEDGED": the same cells).
     */
    static final String[] ST_ROM = {
        // state       DETACH DNLOAD DNLOAD0 UPLOAD GETSTATUS CLRSTATUS GETSTATE ABORT
        "IDLE          S:ERROR A:DNLOAD_SYNC A:MANIFEST_SYNC D:UPLOAD_IDLE D:IDLE A:ERROR D:IDLE A:IDLE",
        "DNLOAD_SYNC   S:ERROR S:ERROR S:ERROR S:ERROR D:DNBUSY A:ERROR D:DNLOAD_SYNC S:ERROR",
        "DNBUSY        S:ERROR S:ERROR S:ERROR S:ERROR D:DNBUSY A:ERROR D:DNBUSY S:ERROR",
        "DNLOAD_IDLE   S:ERROR A:DNLOAD_SYNC A:MANIFEST_SYNC S:ERROR D:DNLOAD_IDLE A:ERROR D:DNLOAD_IDLE A:IDLE",
        "MANIFEST_SYNC S:ERROR S:ERROR S:ERROR S:ERROR D:MANIFEST A:ERROR D:MANIFEST_SYNC S:ERROR",
        "UPLOAD_IDLE   S:ERROR S:ERROR S:ERROR D:UPLOAD_IDLE D:UPLOAD_IDLE A:ERROR D:UPLOAD_IDLE A:IDLE",
        "ERROR         S:ERROR S:ERROR S:ERROR S:ERROR D:ERROR A:IDLE D:ERROR S:ERROR",
    };

    /** mboot: no state validation (docs/reference/mboot.md §5.3). DNLOAD leaves a command pending (GETSTATE shows dfuDNBUSY). */
    static final String[] MBOOT = {
        "IDLE          A:IDLE A:DNBUSY A:MANIFEST_SYNC D:UPLOAD_IDLE D:IDLE A:IDLE D:IDLE A:IDLE",
        "DNBUSY        A:DNBUSY A:DNBUSY A:MANIFEST_SYNC D:UPLOAD_IDLE D:DNBUSY A:IDLE D:DNBUSY A:IDLE",
        "DNLOAD_IDLE   A:DNLOAD_IDLE A:DNBUSY A:MANIFEST_SYNC D:UPLOAD_IDLE D:DNLOAD_IDLE A:IDLE D:DNLOAD_IDLE A:IDLE",
        "MANIFEST_SYNC A:MANIFEST_SYNC A:DNBUSY A:MANIFEST_SYNC D:UPLOAD_IDLE D:MANIFEST A:IDLE D:MANIFEST_SYNC A:IDLE",
        "UPLOAD_IDLE   A:UPLOAD_IDLE A:DNBUSY A:MANIFEST_SYNC D:UPLOAD_IDLE D:UPLOAD_IDLE A:IDLE D:UPLOAD_IDLE A:IDLE",
        "ERROR         A:ERROR A:DNBUSY A:MANIFEST_SYNC D:UPLOAD_IDLE D:ERROR A:IDLE D:ERROR A:IDLE",
    };

    /** A personality id with this suffix is built with {@link BusyBehaviour#REPORT_DNBUSY}. */
    static final String REPORTS_BUSY = "/report-dnbusy";

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        for (String id : List.of("stm32f405", "stm32h743", "stm32f072", "stm32f405" + REPORTS_BUSY)) {
            addCells(out, id, ST_ROM);
        }
        addCells(out, "mboot-pybd-sf2", MBOOT);
        return out.stream();
    }

    private static void addCells(List<Arguments> out, String id, String[] table) {
        for (String row : table) {
            String[] f = row.trim().split("\\s+");
            String state = f[0];
            if (state.equals("DNBUSY") && table == ST_ROM && !id.endsWith(REPORTS_BUSY)) {
                if (!id.equals("stm32h743")) {
                    continue; // NAK ROMs never show dfuDNBUSY to a request: the request waits for the operation
                }
                state = "WEDGED"; // the H743 answers as in dfuDNBUSY once a bank-2 erase has wedged
            }
            for (int i = 0; i < REQUESTS.size(); i++) {
                out.add(Arguments.of(id, state, REQUESTS.get(i), f[i + 1]));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} x {2} -> {3}")
    @MethodSource("cells")
    void followsTheTable(String variant, String state, String request, String expected) throws Exception {
        SimOptions options = SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT);
        String id = variant;
        if (variant.endsWith(REPORTS_BUSY)) {
            id = variant.substring(0, variant.length() - REPORTS_BUSY.length());
            options = options.withBusyBehaviour(BusyBehaviour.REPORT_DNBUSY);
        }
        SimulatedDevice d = SimulatedDevices.create(id, options);
        d.writeMemory(FLASH, TestImages.random(1, 256));
        RawDfu h = new RawDfu(d.connect());
        driveTo(h, d, state);
        DfuStatus statusBefore = d.status();
        char result;
        int replyState = -1;
        try {
            switch (request) {
                case "DETACH" -> { h.detach(); result = 'A'; }
                case "DNLOAD" -> { h.dnload(0, RawDfu.cmd(0x21, FLASH + 0x100)); result = 'A'; }
                case "DNLOAD0" -> { h.dnload(2, new byte[0]); result = 'A'; }
                case "UPLOAD" -> { h.upload(2, 16); result = 'D'; }
                case "GETSTATUS" -> { replyState = h.getStatus().state(); result = 'D'; }
                case "CLRSTATUS" -> { h.clrStatus(); result = 'A'; }
                case "GETSTATE" -> { replyState = h.getState(); result = 'D'; }
                case "ABORT" -> { h.abort(); result = 'A'; }
                default -> throw new IllegalArgumentException(request);
            }
        } catch (TransportException e) {
            result = e.isDisconnect() ? 'G' : e.kind() == TransportException.Kind.STALL ? 'S' : '?';
        }
        String expectedState = expected.substring(2);
        if (expected.equals("D:MANIFEST") && d.chip().has(io.github.dfu4j.stm32.RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS)) {
            assertEquals('G', result, "H7 ROMs leave before answering");
            return;
        }
        assertEquals(expected.charAt(0), result, "result");
        String actual = replyState >= 0 ? DfuState.fromCode(replyState).name() : d.state().name();
        assertEquals("DFU_" + expectedState, actual, "state");
        if (result == 'S' && !state.equals("ERROR")) {
            assertEquals(DfuStatus.ERR_STALLEDPKT, d.status(), "a stalled request reports errSTALLEDPKT");
        }
        if (state.equals("ERROR") && result == 'S') {
            assertEquals(statusBefore, d.status(), "dfuERROR keeps its status while refusing requests");
        }
    }

    /** Brings a fresh device into {@code state} with a known request sequence. */
    static void driveTo(RawDfu h, SimulatedDevice d, String state) throws TransportException {
        switch (state) {
            case "IDLE" -> { }
            case "DNLOAD_SYNC" -> h.dnload(0, RawDfu.cmd(0x21, FLASH));
            case "DNBUSY" -> {
                h.dnload(0, RawDfu.cmd(0x41, 0x0802_0000L)); // a second-long erase
                if (!d.id().startsWith("mboot")) {
                    assertEquals(DfuState.DFU_DNBUSY, h.getStatus().dfuState());
                }
            }
            case "WEDGED" -> {
                h.dnload(0, RawDfu.cmd(0x41, 0x0810_0000L)); // rev V bank 2
                assertEquals(DfuState.DFU_DNBUSY, h.getStatus().dfuState());
                h.sleep(3000); // the erase (1.1 s) is over; the DFU side stays in dfuDNBUSY
                assertEquals(DfuState.DFU_DNBUSY, d.state(), "driving to " + state);
                return;
            }
            case "DNLOAD_IDLE" -> h.setAddress(FLASH);
            case "MANIFEST_SYNC" -> h.dnload(0, new byte[0]);
            case "UPLOAD_IDLE" -> {
                h.upload(2, 16);
            }
            case "ERROR" -> {
                if (d.id().startsWith("mboot")) {
                    h.setAddress(FLASH);
                    h.dnloadAndPoll(2, new byte[4]); // into mboot itself: errADDRESS "Can't overwrite mboot"
                } else {
                    h.setAddress(0x7000_0000L); // executed on GETSTATUS: errTARGET
                }
            }
            default -> throw new IllegalArgumentException(state);
        }
        assertEquals("DFU_" + state, d.state().name(), "driving to " + state);
        assertTrue(d.inDfuMode());
    }
}
