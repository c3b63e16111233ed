package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.internal.OperationKind;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A DfuSe special command: a DNLOAD with wBlockNum 0 whose first byte selects the command (ST AN3156;
 * AN2662 §4.5). Addresses travel little-endian.
 *
 * <pre>
 *   21 a0 a1 a2 a3   SET_ADDRESS
 *   41 a0 a1 a2 a3   ERASE the page/sector holding the address
 *   41               mass erase
 *   92               READ_UNPROTECT (device mass-erases and resets)
 * </pre>
 *
 * @param kind    the operation, one of SET_ADDRESS, ERASE, MASS_ERASE, READ_UNPROTECT or COMMAND
 * @param code    the command byte
 * @param address the address argument, or -1 when the command has none
 */
public record DfuseCommand(OperationKind kind, int code, long address) {
    public static final int GET_COMMANDS = 0x00;
    public static final int SET_ADDRESS = 0x21;
    public static final int ERASE = 0x41;
    public static final int READ_UNPROTECT = 0x92;
    /** DfuSe commands are DNLOAD requests with this block number. */
    public static final int COMMAND_BLOCK = 0;
    /** The first data block; the device writes block n at pointer + (n - 2) * wTransferSize. */
    public static final int FIRST_DATA_BLOCK = 2;

    public DfuseCommand {
        Objects.requireNonNull(kind, "kind");
        if (code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("command byte out of range: " + code);
        }
        if (address < -1 || address > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("address outside the 32-bit address space: " + address);
        }
    }

    public static DfuseCommand setAddress(long address) {
        return new DfuseCommand(OperationKind.SET_ADDRESS, SET_ADDRESS, requireAddress(address));
    }

    public static DfuseCommand erasePage(long address) {
        return new DfuseCommand(OperationKind.ERASE, ERASE, requireAddress(address));
    }

    public static DfuseCommand massErase() {
        return new DfuseCommand(OperationKind.MASS_ERASE, ERASE, -1);
    }

    public static DfuseCommand readUnprotect() {
        return new DfuseCommand(OperationKind.READ_UNPROTECT, READ_UNPROTECT, -1);
    }

    private static long requireAddress(long address) {
        if (address < 0 || address > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("address outside the 32-bit address space: " + address);
        }
        return address;
    }

    public OptionalLong addressArgument() {
        return address < 0 ? OptionalLong.empty() : OptionalLong.of(address);
    }

    /** The DNLOAD data stage. */
    public byte[] payload() {
        if (address < 0) {
            return new byte[] {(byte) code};
        }
        return new byte[] {(byte) code, (byte) address, (byte) (address >> 8), (byte) (address >> 16), (byte) (address >> 24)};
    }

    /**
     * Decodes a block-0 DNLOAD payload as a device would.
     *
     * @return the command, or null for a payload that is no known command
     */
    public static DfuseCommand parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return null;
        }
        int code = payload[0] & 0xFF;
        if (payload.length == 1) {
            return switch (code) {
                case ERASE -> massErase();
                case READ_UNPROTECT -> readUnprotect();
                case GET_COMMANDS -> new DfuseCommand(OperationKind.COMMAND, GET_COMMANDS, -1);
                default -> null;
            };
        }
        if (payload.length != 5) {
            return null;
        }
        long address = (payload[1] & 0xFFL) | (payload[2] & 0xFFL) << 8 | (payload[3] & 0xFFL) << 16
                | (payload[4] & 0xFFL) << 24;
        return switch (code) {
            case SET_ADDRESS -> setAddress(address);
            case ERASE -> erasePage(address);
            default -> null;
        };
    }

    @Override
    public String toString() {
        return kind + (address < 0 ? "" : String.format(" 0x%08x", address)) + " " + Arrays.toString(payload());
    }
}
