package io.github.dfu4j.record;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.TransportException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a session file written by {@link RecordingTransport} ({@link RecordingFormat}) into a
 * {@link ReplayScript}: the session headers (device, alt settings, functional descriptor) and the
 * events between them, each checked when read, so a bad file fails with its line before anything is
 * replayed ({@link RecordingFormatException}).
 */
final class RecordingParser {
    private RecordingParser() {
    }

    /** A session header: the device as enumerated, and the line its block starts on. */
    record Header(int line, DeviceInfo device, int interfaceNumber, List<AltSetting> alts, byte[] functional) {
    }

    /** One recorded event: a request with its result and duration, a host sleep, or a close. */
    record Event(int line, String kind, List<String> args, String result, long duration, String text) {
    }

    /** Parses a recording; the script is positioned after its first session header. */
    static ReplayScript parse(Reader in, String source) throws IOException {
        BufferedReader reader = new BufferedReader(in);
        List<Object> items = new ArrayList<>();
        String line;
        int number = 0;
        boolean magic = false;
        Map<String, String> device = null;
        int deviceLine = 0;
        List<AltSetting> alts = new ArrayList<>();
        byte[] functional = null;
        int headerLine = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            if (!magic) {
                if (!line.equals(RecordingFormat.MAGIC)) {
                    throw new RecordingFormatException(source, number, "not a dfu4j session recording (expected \""
                            + RecordingFormat.MAGIC + "\")");
                }
                magic = true;
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            List<String> t = tokens(line, source, number);
            switch (t.get(0)) {
                case "session" -> {
                    if (device != null) {
                        items.add(header(source, headerLine, deviceLine, device, alts, functional));
                    }
                    device = null;
                    alts = new ArrayList<>();
                    functional = null;
                    headerLine = number;
                }
                case "device" -> {
                    device = new TreeMap<>();
                    for (String kv : t.subList(1, t.size())) {
                        int eq = kv.indexOf('=');
                        if (eq < 0) {
                            throw new RecordingFormatException(source, number, "expected key=value, found " + kv);
                        }
                        device.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    deviceLine = number;
                }
                case "alt" -> {
                    need(t, 3, source, number);
                    alts.add(new AltSetting(integer(t.get(1), source, number), unquote(t.get(2), source, number)));
                }
                case "functional" -> {
                    need(t, 2, source, number);
                    functional = bytes(t.get(1), source, number);
                }
                default -> {
                    if (device != null) {
                        items.add(header(source, headerLine, deviceLine, device, alts, functional));
                        device = null;
                    }
                    items.add(event(t, line, source, number));
                }
            }
        }
        if (device != null) {
            items.add(header(source, headerLine, deviceLine, device, alts, functional));
        }
        if (!magic) {
            throw new RecordingFormatException(source, number, "empty recording");
        }
        if (items.isEmpty() || !(items.get(0) instanceof Header)) {
            throw new RecordingFormatException(source, 1, "the recording does not start with a session header");
        }
        ReplayScript script = new ReplayScript(source, items);
        script.position = 1;
        return script;
    }

    private static Header header(String source, int line, int deviceLine, Map<String, String> d, List<AltSetting> alts,
                                 byte[] functional) throws RecordingFormatException {
        try {
            DeviceInfo info = new DeviceInfo(Integer.parseInt(d.get("vid"), 16), Integer.parseInt(d.get("pid"), 16),
                    Integer.parseInt(d.get("bcd"), 16), unquote(d.get("manufacturer"), source, deviceLine),
                    unquote(d.get("product"), source, deviceLine), unquote(d.get("serial"), source, deviceLine),
                    unquote(d.get("path"), source, deviceLine), Boolean.parseBoolean(d.get("dfu")));
            int iface = Integer.parseInt(d.getOrDefault("interface", "0"));
            return new Header(line, info, iface, List.copyOf(alts), functional == null ? new byte[0] : functional);
        } catch (RuntimeException e) {
            throw new RecordingFormatException(source, deviceLine, "bad device line: " + e.getMessage());
        }
    }

    private static Event event(List<String> t, String text, String source, int line) throws RecordingFormatException {
        need(t, 2, source, line);
        number(t.get(0), source, line);
        if (t.get(1).equals("sleep")) {
            need(t, 3, source, line);
            return new Event(line, "sleep", List.of(t.get(2)), "", 0, text);
        }
        if (t.get(1).equals("close")) {
            return new Event(line, "close", List.of(), "", 0, text);
        }
        if (!t.get(1).startsWith("+")) {
            throw new RecordingFormatException(source, line, "expected +<duration> after the time, found " + t.get(1));
        }
        long duration = number(t.get(1).substring(1), source, line);
        int arrow = t.indexOf("->");
        if (arrow < 3 || arrow == t.size() - 1) {
            throw new RecordingFormatException(source, line, "expected '<request> -> <result>'");
        }
        String kind = t.get(2);
        if (!List.of("out", "in", "select", "string", "reset", "reopen").contains(kind)) {
            throw new RecordingFormatException(source, line, "unknown event '" + kind + "'");
        }
        List<String> args = new ArrayList<>(t.subList(3, arrow));
        args.removeIf(a -> a.startsWith("timeout="));
        String result = String.join(" ", t.subList(arrow + 1, t.size()));
        int expectedArgs = switch (kind) {
            case "out", "in" -> 3;
            case "select", "string" -> 1;
            default -> 0;
        };
        if (args.size() != expectedArgs) {
            throw new RecordingFormatException(source, line, kind + " takes " + expectedArgs + " arguments, found " + args.size());
        }
        boolean error = result.startsWith("error ");
        switch (kind) {
            case "out" -> {
                integer(args.get(1), source, line);
                bytes(args.get(2), source, line);
            }
            case "in" -> {
                integer(args.get(1), source, line);
                integer(args.get(2), source, line);
                if (!error) {
                    bytes(result, source, line);
                }
            }
            case "select" -> integer(args.get(0), source, line);
            case "string" -> {
                integer(args.get(0), source, line);
                if (!error) {
                    unquote(result, source, line);
                }
            }
            default -> {
            }
        }
        if (error) {
            List<String> parts = tokens(result, source, line);
            try {
                TransportException.Kind.valueOf(parts.size() > 1 ? parts.get(1) : "");
            } catch (IllegalArgumentException x) {
                throw new RecordingFormatException(source, line, "unknown error kind in " + result);
            }
            if (parts.size() > 2) {
                unquote(parts.get(2), source, line);
            }
        }
        return new Event(line, kind, List.copyOf(args), result, duration, text);
    }

    // ------------------------------------------------------------ tokenizing

    static List<String> tokens(String line, String source, int number) throws RecordingFormatException {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            int start = i;
            boolean quoted = false;
            while (i < line.length() && (quoted || line.charAt(i) != ' ')) {
                char d = line.charAt(i);
                if (d == '\\' && quoted) {
                    i += 2;
                    continue;
                }
                if (d == '"') {
                    quoted = !quoted;
                }
                i++;
            }
            if (quoted) {
                throw new RecordingFormatException(source, number, "unterminated string");
            }
            out.add(line.substring(start, Math.min(i, line.length())));
        }
        if (out.isEmpty()) {
            throw new RecordingFormatException(source, number, "empty line");
        }
        return out;
    }

    static String unquote(String token, String source, int line) throws RecordingFormatException {
        if (token == null || token.length() < 2 || token.charAt(0) != '"' || token.charAt(token.length() - 1) != '"') {
            throw new RecordingFormatException(source, line, "expected a quoted string, found " + token);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= token.length() - 1) {
                throw new RecordingFormatException(source, line, "dangling backslash");
            }
            char e = token.charAt(i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'u' -> {
                    if (i + 4 >= token.length()) {
                        throw new RecordingFormatException(source, line, "short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(token.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException x) {
                        throw new RecordingFormatException(source, line, "bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw new RecordingFormatException(source, line, "unknown escape \\" + e);
            }
        }
        return sb.toString();
    }

    private static void need(List<String> t, int n, String source, int line) throws RecordingFormatException {
        if (t.size() < n) {
            throw new RecordingFormatException(source, line, "expected " + n + " fields, found " + t.size());
        }
    }

    private static int integer(String s, String source, int line) throws RecordingFormatException {
        long v = number(s, source, line);
        if (v > Integer.MAX_VALUE) {
            throw new RecordingFormatException(source, line, "number too large: " + s);
        }
        return (int) v;
    }

    private static long number(String s, String source, int line) throws RecordingFormatException {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new RecordingFormatException(source, line, "expected a non-negative number, found " + s);
        }
    }

    private static byte[] bytes(String s, String source, int line) throws RecordingFormatException {
        try {
            return RecordingFormat.unhex(s);
        } catch (IllegalArgumentException e) {
            throw new RecordingFormatException(source, line, "bad hex: " + s);
        }
    }
}
