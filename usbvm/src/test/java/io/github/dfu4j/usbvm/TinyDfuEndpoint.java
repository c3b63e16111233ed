package io.github.dfu4j.usbvm;

import io.github.dfu4j.sim.UsbControlEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately tiny DFU 1.1 device for the bridge's own tests: 8 KiB of memory, DNLOAD writes
 * block n at n * 64, UPLOAD reads it back, a zero-length DNLOAD then GETSTATUS makes it leave the
 * bus. It records every control call so tests can see exactly what the bridge forwarded.
 */
class TinyDfuEndpoint implements UsbControlEndpoint {
    static final int TRANSFER = 64;
    final byte[] memory = new byte[8192];
    final List<String> calls = new ArrayList<>();
    int busResets;
    boolean connected = true;
    boolean stallEverything;
    private int state = 2; // dfuIDLE
    private boolean leaving;

    static final String[] STRINGS = {null, "dfu4j", "Tiny DFU", "0001", "@Tiny /0x00000000/8*1Kg"};

    @Override
    public byte[] deviceDescriptor() {
        return new byte[] {18, 1, 0x00, 0x02, 0, 0, 0, 64, (byte) 0x83, 0x04, 0x11, (byte) 0xdf, 0x00, 0x22, 1, 2, 3, 1};
    }

    @Override
    public byte[] configurationDescriptor() {
        byte[] intf = {9, 4, 0, 0, 0, (byte) 0xFE, 1, 2, 4};
        byte[] func = {9, 0x21, 0x03, (byte) 0xFF, 0, TRANSFER, 0, 0x10, 0x01};
        int total = 9 + intf.length + func.length;
        byte[] config = {9, 2, (byte) total, 0, 1, 1, 0, (byte) 0xC0, 50};
        byte[] all = Arrays.copyOf(config, total);
        System.arraycopy(intf, 0, all, 9, intf.length);
        System.arraycopy(func, 0, all, 18, func.length);
        return all;
    }

    @Override
    public byte[] stringDescriptor(int index) {
        if (index == 0) {
            return new byte[] {4, 3, 0x09, 0x04};
        }
        if (index >= STRINGS.length) {
            return null;
        }
        byte[] text = STRINGS[index].getBytes(StandardCharsets.UTF_16LE);
        byte[] d = new byte[2 + text.length];
        d[0] = (byte) d.length;
        d[1] = 3;
        System.arraycopy(text, 0, d, 2, text.length);
        return d;
    }

    @Override
    public ControlReply control(int type, int request, int value, int index, int length, byte[] dataOut) {
        calls.add(String.format("%02x %02x %04x %04x %d [%d]", type, request, value, index, length, dataOut.length));
        if (stallEverything) {
            return ControlReply.stall();
        }
        if ((type & 0x60) == 0) {
            return switch (request) {
                case 0 -> ControlReply.data(new byte[] {0, 0});
                case 9, 11 -> ControlReply.ack();
                case 10 -> ControlReply.data(new byte[] {0});
                default -> ControlReply.stall();
            };
        }
        switch (request) {
            case 1 -> { // DNLOAD
                if (dataOut.length == 0) {
                    leaving = true;
                    state = 6;
                    return ControlReply.ack();
                }
                int at = value * TRANSFER;
                if (at + dataOut.length > memory.length) {
                    state = 10;
                    return ControlReply.stall();
                }
                System.arraycopy(dataOut, 0, memory, at, dataOut.length);
                state = 5;
                return ControlReply.ack();
            }
            case 2 -> { // UPLOAD
                int at = value * TRANSFER;
                int n = Math.max(0, Math.min(length, memory.length - at));
                state = n < length ? 2 : 9;
                return ControlReply.data(Arrays.copyOfRange(memory, at, at + n));
            }
            case 3 -> { // GETSTATUS
                if (leaving) {
                    connected = false;
                    return ControlReply.data(new byte[] {0, 0, 0, 0, 7, 0});
                }
                return ControlReply.data(new byte[] {0, 0, 0, 0, (byte) state, 0});
            }
            case 4, 6 -> { // CLRSTATUS, ABORT
                state = 2;
                return ControlReply.ack();
            }
            case 5 -> {
                return ControlReply.data(new byte[] {(byte) state});
            }
            default -> {
                return ControlReply.stall();
            }
        }
    }

    @Override
    public void busReset() {
        busResets++;
        state = 2;
        leaving = false;
    }

    @Override
    public boolean connected() {
        return connected;
    }
}
