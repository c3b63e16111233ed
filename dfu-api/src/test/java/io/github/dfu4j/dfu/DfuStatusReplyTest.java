package io.github.dfu4j.dfu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DfuStatusReplyTest {

    @Test
    void parsesAllFieldsWithLittleEndian24BitPollTimeout() throws Exception {
        DfuStatusReply r = DfuStatusReply.parse(new byte[] {0x00, 0x10, 0x27, 0x01, 0x04, 0x00});
        assertEquals(DfuStatus.OK, r.status());
        assertEquals(Duration.ofMillis(0x012710), r.pollTimeout());
        assertEquals(DfuState.DFU_DNBUSY, r.state());
        assertEquals(0, r.iString());
        assertTrue(r.isOk());
    }

    @Test
    void keepsUndefinedStatusAndStateValues() throws Exception {
        DfuStatusReply r = DfuStatusReply.parse(new byte[] {0x42, 0, 0, 0, 0x33, 0x11});
        assertEquals(DfuStatus.UNKNOWN, r.status());
        assertEquals(0x42, r.rawStatus());
        assertEquals(DfuState.UNKNOWN, r.state());
        assertEquals(0x33, r.rawState());
        assertEquals(0x11, r.iString());
        assertFalse(r.isOk());
        assertTrue(r.toString().contains("status 0x42"), r.toString());
        assertTrue(r.toString().contains("state 51"), r.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void shortReplyIsATypedError(int length) {
        DfuException e = assertThrows(DfuException.class, () -> DfuStatusReply.parse(new byte[length]));
        assertEquals(DfuException.Kind.PROTOCOL, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(length + " bytes"), e.getMessage());
    }

    @Test
    void errorStateWithOkStatusIsNotOk() throws Exception {
        // mboot clears the status after reporting it once: dfuERROR with status OK follows
        DfuStatusReply r = DfuStatusReply.parse(new byte[] {0, 0, 0, 0, 10, 0});
        assertFalse(r.isOk());
    }

    @Test
    void bytesRoundTrip() throws Exception {
        byte[] wire = {0x03, (byte) 0xE8, 0x03, 0x00, 0x0A, 0x10};
        assertArrayEquals(wire, DfuStatusReply.parse(wire).toBytes());
    }

    @Test
    void enumsMapEveryDefinedCodeAndNeverThrow() {
        for (int i = 0; i <= 10; i++) {
            assertEquals(i, DfuState.fromCode(i).code());
        }
        for (int i = 0; i <= 15; i++) {
            assertEquals(i, DfuStatus.fromCode(i).code());
        }
        assertEquals(DfuState.UNKNOWN, DfuState.fromCode(-5));
        assertEquals(DfuState.UNKNOWN, DfuState.fromCode(255));
        assertEquals(DfuStatus.UNKNOWN, DfuStatus.fromCode(16));
        assertEquals("dfuDNLOAD-IDLE", DfuState.DFU_DNLOAD_IDLE.specName());
        assertEquals("errSTALLEDPKT", DfuStatus.ERR_STALLEDPKT.specName());
        assertEquals(DfuRequest.GETSTATUS, DfuRequest.fromCode(3));
        assertEquals(null, DfuRequest.fromCode(7));
    }
}
