package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;

/**
 * What a DNLOAD or UPLOAD asks a DfuSe bootloader to do, decoded from wBlockNum and the payload
 * (docs/reference/dfu.md §2.2, §2.4). Used in the {@link TraceEntry request trace} and by {@link RequestMatcher}s.
 */
public sealed interface Command {

    /**
     * DNLOAD block 0, {@code 21 a0 a1 a2 a3}: set the address pointer.
     *
     * @param address the new pointer, the four little-endian bytes {@code a0..a3} (0 to 0xFFFFFFFF)
     */
    record SetAddress(long address) implements Command {
        /** The trace form, {@code SET_ADDRESS 0x} and the address as 8 hex digits. */
        @Override
        public String toString() {
            return String.format("SET_ADDRESS 0x%08x", address);
        }
    }

    /**
     * DNLOAD block 0, {@code 41 a0 a1 a2 a3}: erase the page/sector holding the address.
     *
     * @param address any address inside the page/sector to erase, the four little-endian bytes
     *                {@code a0..a3} (0 to 0xFFFFFFFF)
     */
    record Erase(long address) implements Command {
        /** The trace form, {@code ERASE 0x} and the address as 8 hex digits. */
        @Override
        public String toString() {
            return String.format("ERASE 0x%08x", address);
        }
    }

    /** DNLOAD block 0, {@code 41}. */
    record MassErase() implements Command {
        /** The trace form, {@code MASS_ERASE}. */
        @Override
        public String toString() {
            return "MASS_ERASE";
        }
    }

    /** DNLOAD block 0, {@code 92}. */
    record ReadUnprotect() implements Command {
        /** The trace form, {@code READ_UNPROTECT}. */
        @Override
        public String toString() {
            return "READ_UNPROTECT";
        }
    }

    /**
     * DNLOAD block >= 2: write {@code length} bytes at {@code address}.
     *
     * @param address where the block lands, {@code pointer + (wBlockNum - 2) * wTransferSize} in 32-bit
     *                arithmetic (a misaddressing firmware's own multiplier, see {@link SimOptions#blockStride()})
     * @param length  the payload length in bytes (wLength, at least 1)
     */
    record Write(long address, int length) implements Command {
        /** The trace form, {@code WRITE 0x} and the address as 8 hex digits, {@code +} and the length. */
        @Override
        public String toString() {
            return String.format("WRITE 0x%08x+%d", address, length);
        }
    }

    /**
     * UPLOAD block >= 2: read up to {@code length} bytes at {@code address}.
     *
     * @param address where the block starts, computed from the pointer and wBlockNum like {@link Write#address()}
     * @param length  the bytes asked for (wLength); the device may answer fewer at the end of a memory region
     */
    record Read(long address, int length) implements Command {
        /** The trace form, {@code READ 0x} and the address as 8 hex digits, {@code +} and the length. */
        @Override
        public String toString() {
            return String.format("READ 0x%08x+%d", address, length);
        }
    }

    /** UPLOAD block 0. */
    record GetCommands() implements Command {
        /** The trace form, {@code GET_COMMANDS}. */
        @Override
        public String toString() {
            return "GET_COMMANDS";
        }
    }

    /**
     * Zero-length DNLOAD: leave DFU through the address pointer.
     *
     * @param address the address pointer when the request arrived: where an ST ROM jumps (mboot resets instead)
     */
    record Leave(long address) implements Command {
        /** The trace form, {@code LEAVE 0x} and the address as 8 hex digits. */
        @Override
        public String toString() {
            return String.format("LEAVE 0x%08x", address);
        }
    }

    /**
     * A DNLOAD/UPLOAD the bootloader does not implement (block 1, unknown command byte, wrong length).
     *
     * @param blockNum   the request's wBlockNum (0 to 65535)
     * @param payloadHex the first 8 bytes at most of the DNLOAD payload as lower-case hex without separators;
     *                   empty for an UPLOAD
     */
    record Unsupported(int blockNum, String payloadHex) implements Command {
        /** The trace form, {@code UNSUPPORTED block} and the block number, then the payload hex if there is any. */
        @Override
        public String toString() {
            return "UNSUPPORTED block " + blockNum + (payloadHex.isEmpty() ? "" : " " + payloadHex);
        }
    }
}
