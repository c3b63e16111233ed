package io.github.dfu4j.record;

import io.github.dfu4j.dfu.DfuRequest;

import java.util.HexFormat;

/**
 * Shared pieces of the session file format (see {@link RecordingTransport}): quoting of strings,
 * hex of byte arrays, request names.
 */
final class RecordingFormat {
    static final String MAGIC = "# dfu4j session v1";
    private static final HexFormat HEX = HexFormat.of();

    private RecordingFormat() {
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static String hex(byte[] data) {
        return data.length == 0 ? "-" : HEX.formatHex(data);
    }

    static byte[] unhex(String s) {
        return s.equals("-") ? new byte[0] : HEX.parseHex(s);
    }

    static String requestName(int code) {
        DfuRequest r = DfuRequest.fromCode(code);
        return r == null ? Integer.toString(code) : r.name();
    }

    static int requestCode(String name) {
        for (DfuRequest r : DfuRequest.values()) {
            if (r.name().equals(name)) {
                return r.code();
            }
        }
        return Integer.parseInt(name);
    }
}
