package io.github.dfu4j.usbvm;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One line per bridge event, for guest tests to assert the protocol that crossed the real bus:
 * {@code <ms since start> <what>}, e.g. {@code 12.345 DNLOAD blk=0 len=5 41 00 00 00 08 -> ack}.
 * Lines are flushed as written so a crash leaves a complete prefix.
 */
public final class BridgeTrace implements AutoCloseable {

    private static final String[] DFU_REQUESTS = {"DETACH", "DNLOAD", "UPLOAD", "GETSTATUS", "CLRSTATUS", "GETSTATE", "ABORT"};
    private static final String[] STANDARD_REQUESTS = {"GET_STATUS", "CLEAR_FEATURE", "REQ2", "SET_FEATURE", "REQ4",
        "SET_ADDRESS", "GET_DESCRIPTOR", "SET_DESCRIPTOR", "GET_CONFIGURATION", "SET_CONFIGURATION", "GET_INTERFACE",
        "SET_INTERFACE", "SYNCH_FRAME"};
    private static final int HEX_BYTES_SHOWN = 16;

    private final Writer out;
    private final long start = System.nanoTime();

    private BridgeTrace(Writer out) {
        this.out = out;
    }

    /** A trace that writes nothing. */
    public static BridgeTrace none() {
        return new BridgeTrace(null);
    }

    /** Appends to {@code file} (created if missing). */
    public static BridgeTrace to(Path file) throws IOException {
        return new BridgeTrace(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    /** Writes to {@code writer} (tests). */
    public static BridgeTrace to(Writer writer) {
        return new BridgeTrace(writer instanceof BufferedWriter ? writer : new BufferedWriter(writer));
    }

    public boolean enabled() {
        return out != null;
    }

    public synchronized void line(String text) {
        if (out == null) {
            return;
        }
        try {
            out.write(String.format(Locale.ROOT, "%.3f %s%n", (System.nanoTime() - start) / 1e6, text));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("trace file", e);
        }
    }

    /** A readable name for a request: DFU class requests and standard requests by name. */
    static String describe(SetupPacket s) {
        if (s.type() == SetupPacket.TYPE_CLASS && s.recipient() == SetupPacket.RECIPIENT_INTERFACE
                && s.request() < DFU_REQUESTS.length) {
            String name = DFU_REQUESTS[s.request()];
            return switch (name) {
                case "DNLOAD", "UPLOAD" -> name + " blk=" + s.value() + " len=" + s.length();
                default -> name;
            };
        }
        if (s.isStandard() && s.request() < STANDARD_REQUESTS.length) {
            String name = STANDARD_REQUESTS[s.request()];
            return switch (name) {
                case "GET_DESCRIPTOR" -> name + " " + descriptorName(s.value() >> 8) + " " + (s.value() & 0xFF) + " len=" + s.length();
                case "SET_CONFIGURATION", "SET_INTERFACE" -> name + " " + s.value();
                default -> name;
            };
        }
        return "REQUEST " + s;
    }

    private static String descriptorName(int type) {
        return switch (type) {
            case 1 -> "device";
            case 2 -> "config";
            case 3 -> "string";
            case 6 -> "qualifier";
            case 15 -> "bos";
            default -> "type" + type;
        };
    }

    static String hex(byte[] data) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(data.length, HEX_BYTES_SHOWN);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", data[i] & 0xFF));
        }
        if (data.length > shown) {
            sb.append(" ...");
        }
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the trace is diagnostics only
            }
        }
    }
}
