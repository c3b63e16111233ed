package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A tiny host for tests: raw DFU/DfuSe requests over a {@link DfuTransport}, no protocol library.
 * Sleeps go to the transport's clock, so with a virtual clock they cost nothing.
 */
final class RawDfu {
    static final int DETACH = 0;
    static final int DNLOAD = 1;
    static final int UPLOAD = 2;
    static final int GETSTATUS = 3;
    static final int CLRSTATUS = 4;
    static final int GETSTATE = 5;
    static final int ABORT = 6;

    DfuTransport t;
    Duration timeout = Duration.ofSeconds(5);

    RawDfu(DfuTransport t) {
        this.t = t;
    }

    /** A parsed GETSTATUS reply. */
    record Status(int status, int poll, int state, int iString) {
        DfuState dfuState() {
            return DfuState.fromCode(state);
        }

        DfuStatusCode statusCode() {
            return DfuStatusCode.fromCode(status);
        }

        @Override
        public String toString() {
            return dfuState() + "/" + statusCode() + " poll " + poll + " iString " + iString;
        }
    }

    Status getStatus() throws TransportException {
        byte[] b = t.controlIn(GETSTATUS, 0, 6, timeout);
        assertEquals(6, b.length, "GETSTATUS reply length");
        return new Status(b[0] & 0xFF, (b[1] & 0xFF) | (b[2] & 0xFF) << 8 | (b[3] & 0xFF) << 16, b[4] & 0xFF, b[5] & 0xFF);
    }

    int getState() throws TransportException {
        return t.controlIn(GETSTATE, 0, 1, timeout)[0] & 0xFF;
    }

    void dnload(int block, byte[] data) throws TransportException {
        t.controlOut(DNLOAD, block, data, timeout);
    }

    byte[] upload(int block, int length) throws TransportException {
        return t.controlIn(UPLOAD, block, length, timeout);
    }

    void clrStatus() throws TransportException {
        t.controlOut(CLRSTATUS, 0, new byte[0], timeout);
    }

    void abort() throws TransportException {
        t.controlOut(ABORT, 0, new byte[0], timeout);
    }

    void detach() throws TransportException {
        t.controlOut(DETACH, 1000, new byte[0], timeout);
    }

    void sleep(int ms) {
        try {
            t.time().sleep(Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] cmd(int op, long address) {
        return new byte[] {(byte) op, (byte) address, (byte) (address >> 8), (byte) (address >> 16), (byte) (address >> 24)};
    }

    /**
     * Sends a DNLOAD and polls like dfu-util: GETSTATUS, sleep bwPollTimeout while dfuDNBUSY, until
     * another state; returns the final status.
     */
    Status dnloadAndPoll(int block, byte[] data) throws TransportException {
        dnload(block, data);
        Status s = getStatus();
        int polls = 0;
        while (s.dfuState() == DfuState.DFU_DNBUSY) {
            if (++polls > 100_000) {
                throw new AssertionError("device stuck in dfuDNBUSY");
            }
            sleep(Math.max(1, s.poll()));
            s = getStatus();
        }
        return s;
    }

    Status setAddress(long address) throws TransportException {
        return dnloadAndPoll(0, cmd(0x21, address));
    }

    Status erase(long address) throws TransportException {
        return dnloadAndPoll(0, cmd(0x41, address));
    }

    Status massErase() throws TransportException {
        return dnloadAndPoll(0, new byte[] {0x41});
    }

    /** dfu-util pattern (a): SET_ADDRESS before every block, block number 2. Stops at the first error. */
    Status writeEachAddressed(long address, byte[] data, int xfer) throws TransportException {
        Status s = null;
        for (int off = 0; off < data.length; off += xfer) {
            s = setAddress(address + off);
            if (s.dfuState() != DfuState.DFU_DNLOAD_IDLE) {
                return s;
            }
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + xfer));
            s = dnloadAndPoll(2, chunk);
            if (s.dfuState() != DfuState.DFU_DNLOAD_IDLE) {
                return s;
            }
        }
        return s;
    }

    /** Pattern (b): one SET_ADDRESS, then blocks 2, 3, 4, ... */
    Status writeSequential(long address, byte[] data, int xfer) throws TransportException {
        Status s = setAddress(address);
        if (s.dfuState() != DfuState.DFU_DNLOAD_IDLE) {
            return s;
        }
        int block = 2;
        for (int off = 0; off < data.length; off += xfer) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + xfer));
            s = dnloadAndPoll(block++, chunk);
            if (s.dfuState() != DfuState.DFU_DNLOAD_IDLE) {
                return s;
            }
        }
        return s;
    }

    /** SET_ADDRESS, ABORT, UPLOAD blocks 2.. until {@code length} bytes or a short frame. */
    byte[] read(long address, int length, int xfer) throws TransportException {
        Status s = setAddress(address);
        if (s.dfuState() != DfuState.DFU_DNLOAD_IDLE) {
            throw new AssertionError("SET_ADDRESS failed: " + s);
        }
        abort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int block = 2;
        while (out.size() < length) {
            int n = Math.min(xfer, length - out.size());
            byte[] b = upload(block++, n);
            out.writeBytes(b);
            if (b.length < n) {
                break;
            }
        }
        abort(); // back to dfuIDLE like dfu-util's abort-to-idle (valid in dfuIDLE and dfuUPLOAD-IDLE)
        return out.toByteArray();
    }

    /** Zero-length DNLOAD and the GETSTATUS that makes the device leave; the reply if it answered. */
    Optional<Status> leave(int block) throws TransportException {
        dnload(block, new byte[0]);
        try {
            return Optional.of(getStatus());
        } catch (TransportException e) {
            if (e.isDisconnect()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<DfuTransport> reopen(Duration timeout) throws TransportException {
        return t.port().awaitDfu(timeout);
    }

    /** Back to dfuIDLE from anything the ROM may be in (CLRSTATUS twice covers the H7 wedge). */
    void toIdle() throws TransportException {
        Status s = getStatus();
        if (s.dfuState() == DfuState.DFU_ERROR) {
            clrStatus();
        } else if (s.dfuState() != DfuState.DFU_IDLE) {
            abort();
        }
        assertEquals(DfuState.DFU_IDLE, getStatus().dfuState());
    }
}
