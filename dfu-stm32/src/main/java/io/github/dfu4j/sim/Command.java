package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;

/**
 * What a DNLOAD or UPLOAD asks a DfuSe bootloader to do, decoded from wBlockNum and the payload
 * (docs/reference/dfu.md §2.2, §2.4). Used in the {@link TraceEntry request trace} and by {@link RequestMatcher}s.
 */
public sealed interface Command {

    /** DNLOAD block 0, {@code 21 a0 a1 a2 a3}. */
    record SetAddress(long address) implements Command {
        @Override
        public String toString() {
            return String.format("SET_ADDRESS 0x%08x", address);
        }
    }

    /** DNLOAD block 0, {@code 41 a0 a1 a2 a3}: erase the page/sector holding the address. */
    record Erase(long address) implements Command {
        @Override
        public String toString() {
            return String.format("ERASE 0x%08x", address);
        }
    }

    /** DNLOAD block 0, {@code 41}. */
    record MassErase() implements Command {
        @Override
        public String toString() {
            return "MASS_ERASE";
        }
    }

    /** DNLOAD block 0, {@code 92}. */
    record ReadUnprotect() implements Command {
        @Override
        public String toString() {
            return "READ_UNPROTECT";
        }
    }

    /** DNLOAD block >= 2: write {@code length} bytes at {@code address}. */
    record Write(long address, int length) implements Command {
        @Override
        public String toString() {
            return String.format("WRITE 0x%08x+%d", address, length);
        }
    }

    /** UPLOAD block >= 2: read up to {@code length} bytes at {@code address}. */
    record Read(long address, int length) implements Command {
        @Override
        public String toString() {
            return String.format("READ 0x%08x+%d", address, length);
        }
    }

    /** UPLOAD block 0. */
    record GetCommands() implements Command {
        @Override
        public String toString() {
            return "GET_COMMANDS";
        }
    }

    /** Zero-length DNLOAD: leave DFU through the address pointer. */
    record Leave(long address) implements Command {
        @Override
        public String toString() {
            return String.format("LEAVE 0x%08x", address);
        }
    }

    /** A DNLOAD/UPLOAD the bootloader does not implement (block 1, unknown command byte, wrong length). */
    record Unsupported(int blockNum, String payloadHex) implements Command {
        @Override
        public String toString() {
            return "UNSUPPORTED block " + blockNum + (payloadHex.isEmpty() ? "" : " " + payloadHex);
        }
    }
}
