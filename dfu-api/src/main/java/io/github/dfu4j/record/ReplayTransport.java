package io.github.dfu4j.record;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Serves a session written by {@link RecordingTransport} back to the code under test, strictly: each
 * request must be the next one in the recording (same request, wValue, data or length, alt setting,
 * string index); anything else throws a {@link ReplayMismatchException} naming the line (unchecked, never mistaken for a USB error). Timeouts and
 * waits are not compared. The clock advances by each request's recorded duration and by the host's
 * own waits, so budget decisions replay the same way.
 *
 * <pre>{@code
 * ReplayTransport replay = ReplayTransport.load(Path.of("session.dfu4j"));
 * try (DfuDevice dev = DfuDevice.open(replay)) { dev.download(image, options, ProgressListener.NONE); }
 * replay.assertFinished();
 * }</pre>
 */
public final class ReplayTransport implements DfuTransport {

    private record Header(int line, DeviceInfo device, int interfaceNumber, List<AltSetting> alts, byte[] functional) {
    }

    private record Event(int line, String kind, List<String> args, String result, long duration, String text) {
    }

    /** The parsed file and the shared position in it. */
    private static final class Script {
        final String source;
        final List<Object> items;
        int position;
        long now = 1_000_000_000L;

        Script(String source, List<Object> items) {
            this.source = source;
            this.items = items;
        }
    }

    private final Script script;
    private final Header header;
    private final TimeSource time;

    private ReplayTransport(Script script, Header header) {
        this.script = script;
        this.header = header;
        this.time = new TimeSource() {
            @Override
            public long nanoTime() {
                return script.now;
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted");
                }
                script.now += Math.max(0, duration.toNanos());
            }
        };
    }

    /**
     * Reads a recording file (UTF-8, as {@link RecordingTransport#toFile} writes it); messages name the
     * file by its file name.
     *
     * @param file the recording
     * @return a transport positioned at the first recorded request of the first session
     * @throws RecordingFormatException when the file is not a readable recording (message names the line)
     * @throws IOException when the file cannot be read
     */
    public static ReplayTransport load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.getFileName().toString());
        }
    }

    /**
     * Parses a recording held in a string, e.g. one a test built or kept as a resource.
     *
     * @param recording the recording text
     * @param source    the name messages give the recording, e.g. {@code "flash.dfu4j"}
     * @return a transport positioned at the first recorded request of the first session
     * @throws RecordingFormatException when the text is not a readable recording (message names the line)
     */
    public static ReplayTransport parse(String recording, String source) throws RecordingFormatException {
        try {
            return parse(new StringReader(recording), source);
        } catch (RecordingFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RecordingFormatException(source, 0, e.getMessage());
        }
    }

    /**
     * Parses a recording from a reader, which is read to the end but not closed.
     *
     * @param in     the recording text
     * @param source the name messages give the recording
     * @return a transport positioned at the first recorded request of the first session
     * @throws RecordingFormatException when the text is not a readable recording (message names the line)
     * @throws IOException when the reader fails
     */
    public static ReplayTransport parse(Reader in, String source) throws IOException {
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
        if (items.isEmpty() || !(items.get(0) instanceof Header first)) {
            throw new RecordingFormatException(source, 1, "the recording does not start with a session header");
        }
        Script script = new Script(source, items);
        script.position = 1;
        return new ReplayTransport(script, first);
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

    private static List<String> tokens(String line, String source, int number) throws RecordingFormatException {
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

    private static String unquote(String token, String source, int line) throws RecordingFormatException {
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

    // ------------------------------------------------------------ serving

    /**
     * Events (requests) not yet replayed, in this and later sessions.
     *
     * @return the count of requests still to come, 0 when the replay is finished
     */
    public int remaining() {
        int n = 0;
        for (int i = script.position; i < script.items.size(); i++) {
            if (script.items.get(i) instanceof Event e && !e.kind().equals("sleep") && !e.kind().equals("close")) {
                n++;
            }
        }
        return n;
    }

    /** Fails unless every recorded request was replayed. */
    public void assertFinished() {
        if (remaining() > 0) {
            Event next = peekRequest();
            throw new ReplayMismatchException(script.source + ":" + next.line() + ": the code under test stopped, but the"
                    + " recording continues with: " + next.text());
        }
    }

    private Event peekRequest() {
        for (int i = script.position; i < script.items.size(); i++) {
            Object o = script.items.get(i);
            if (o instanceof Event e && !e.kind().equals("sleep") && !e.kind().equals("close")) {
                return e;
            }
            if (o instanceof Header) {
                return null;
            }
        }
        return null;
    }

    /** The next recorded request; it must be {@code kind} with these arguments. */
    private Event expect(String kind, List<String> args) {
        String got = shortened(kind, args, 0);
        while (script.position < script.items.size()) {
            Object o = script.items.get(script.position);
            if (o instanceof Event e && (e.kind().equals("sleep") || e.kind().equals("close"))) {
                script.position++;
                continue;
            }
            if (o instanceof Event e) {
                if (!e.kind().equals(kind) || !e.args().equals(args)) {
                    int from = e.kind().equals(kind) ? firstDifference(e.args(), args) : 0;
                    throw new ReplayMismatchException(script.source + ":" + e.line() + ": expected "
                            + shortened(e.kind(), e.args(), from) + ", got " + shortened(kind, args, from));
                }
                script.position++;
                script.now += e.duration();
                return e;
            }
            throw new ReplayMismatchException(script.source + ":" + ((Header) o).line() + ": the recorded session ended"
                    + " (device left), got " + got);
        }
        throw new ReplayMismatchException(script.source + ": the recording ended, got " + got);
    }

    /** A request for a message; a long data argument (hex) shows its byte count and 16 bytes from {@code from}. */
    private static String shortened(String kind, List<String> args, int from) {
        StringBuilder b = new StringBuilder(kind);
        for (String a : args) {
            b.append(' ');
            if (a.length() > 64) {
                int at = Math.min(from, a.length() / 2) * 2;
                b.append(at == 0 ? "" : "[byte " + at / 2 + "] ").append(a, at, Math.min(a.length(), at + 32))
                        .append("... (").append(a.length() / 2).append(" bytes)");
            } else {
                b.append(a);
            }
        }
        return b.toString();
    }

    /** The first byte at which two hex data arguments differ (0 when they are short or of other requests). */
    private static int firstDifference(List<String> expected, List<String> got) {
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
            String a = expected.get(i);
            String b = got.get(i);
            if (!a.equals(b) && (a.length() > 64 || b.length() > 64)) {
                int n = 0;
                while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
                    n++;
                }
                return n / 2;
            }
        }
        return 0;
    }

    private void throwIfError(Event e) throws TransportException {
        if (!e.result().startsWith("error ")) {
            return;
        }
        List<String> parts;
        try {
            parts = tokens(e.result(), script.source, e.line());
            TransportException.Kind kind = TransportException.Kind.valueOf(parts.get(1));
            String message = parts.size() > 2 ? unquote(parts.get(2), script.source, e.line()) : "";
            throw new TransportException(kind, message);
        } catch (RecordingFormatException | IndexOutOfBoundsException | IllegalArgumentException x) {
            throw new ReplayMismatchException(script.source + ":" + e.line() + ": unreadable error result: " + e.result());
        }
    }

    /**
     * The device identity of the current session's {@code device} header line.
     *
     * @return the recorded identity
     */
    @Override
    public DeviceInfo device() {
        return header.device();
    }

    /**
     * The DFU interface number of the current session's header ({@code interface=}, 0 when absent).
     *
     * @return the recorded bInterfaceNumber
     */
    @Override
    public int interfaceNumber() {
        return header.interfaceNumber();
    }

    /**
     * The alternate settings listed in the current session's {@code alt} header lines.
     *
     * @return the recorded alternate settings, in order
     */
    @Override
    public List<AltSetting> altSettings() {
        return header.alts();
    }

    /**
     * The functional descriptor of the current session's {@code functional} header line.
     *
     * @return a copy of the recorded bytes, empty when the header had none
     */
    @Override
    public byte[] functionalDescriptor() {
        return header.functional().clone();
    }

    /**
     * {@inheritDoc} The next recorded request must be {@code select} of the same alt setting; its recorded
     * error, if any, is thrown.
     *
     * @throws ReplayMismatchException when the recording holds another request next
     */
    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        throwIfError(expect("select", List.of(Integer.toString(altSetting))));
    }

    /**
     * {@inheritDoc} The next recorded request must be an {@code in} with the same request, wValue and
     * wLength (the timeout is not compared); its recorded reply is returned or its recorded error thrown,
     * and the clock advances by its recorded duration.
     *
     * @throws ReplayMismatchException when the recording holds another request next, or a reply longer
     *         than {@code length}
     */
    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        Event e = expect("in", List.of(RecordingFormat.requestName(request), Integer.toString(value), Integer.toString(length)));
        throwIfError(e);
        try {
            byte[] reply = RecordingFormat.unhex(e.result());
            if (reply.length > length) {
                throw new ReplayMismatchException(script.source + ":" + e.line() + ": recorded reply longer than wLength");
            }
            return reply;
        } catch (IllegalArgumentException x) {
            throw new ReplayMismatchException(script.source + ":" + e.line() + ": bad hex reply " + e.result());
        }
    }

    /**
     * {@inheritDoc} The next recorded request must be an {@code out} with the same request, wValue and data
     * bytes (the timeout is not compared); its recorded error, if any, is thrown, and the clock advances by
     * its recorded duration.
     *
     * @throws ReplayMismatchException when the recording holds another request next; the message shows
     *         the first differing byte of long data
     */
    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        throwIfError(expect("out", List.of(RecordingFormat.requestName(request), Integer.toString(value),
                RecordingFormat.hex(data))));
    }

    /**
     * {@inheritDoc} The next recorded request must be {@code string} of the same index; its recorded text
     * is returned or its recorded error thrown.
     *
     * @throws ReplayMismatchException when the recording holds another request next
     */
    @Override
    public String stringDescriptor(int index) throws TransportException {
        Event e = expect("string", List.of(Integer.toString(index)));
        throwIfError(e);
        try {
            return unquote(e.result(), script.source, e.line());
        } catch (RecordingFormatException x) {
            throw new ReplayMismatchException(x.getMessage());
        }
    }

    /**
     * {@inheritDoc} The next recorded request must be a {@code reset}; its recorded error, if any, is thrown.
     *
     * @throws ReplayMismatchException when the recording holds another request next
     */
    @Override
    public void reset() throws TransportException {
        throwIfError(expect("reset", List.of()));
    }

    /**
     * A virtual clock: it advances by each replayed request's recorded duration and by the waits the code
     * under test asks for, and never sleeps, so that timing decisions replay the same way at full speed.
     *
     * @return the replay's clock; transports reopened from this one read the same time
     */
    @Override
    public TimeSource time() {
        return time;
    }

    /**
     * The recorded port: waiting for the device in DFU mode replays the recorded {@code reopen} and
     * goes on with the following {@code session} block; a replay has no bus to look at, so
     * {@code state} and {@code awaitApplication} throw NOT_SUPPORTED.
     */
    @Override
    public DevicePort port() {
        String noBus = "a replayed session has no USB port to look at";
        DevicePort unsupported = DevicePort.unsupported(header.device().path(), time, noBus);
        return new DevicePort() {
            @Override
            public String path() {
                return unsupported.path();
            }

            @Override
            public TimeSource time() {
                return time;
            }

            @Override
            public PortState state() throws TransportException {
                return unsupported.state();
            }

            @Override
            public Optional<DfuTransport> awaitDfu(Duration timeout) throws TransportException {
                return replayReopen();
            }

            @Override
            public Optional<PortState> awaitApplication(Duration timeout) throws TransportException {
                return unsupported.awaitApplication(timeout);
            }
        };
    }

    private Optional<DfuTransport> replayReopen() throws TransportException {
        Event e = expect("reopen", List.of());
        throwIfError(e);
        if (e.result().equals("none")) {
            return Optional.empty();
        }
        if (!e.result().equals("dfu")) {
            throw new ReplayMismatchException(script.source + ":" + e.line() + ": bad reopen result " + e.result());
        }
        while (script.position < script.items.size() && script.items.get(script.position) instanceof Event s
                && (s.kind().equals("sleep") || s.kind().equals("close"))) {
            script.position++;
        }
        if (script.position >= script.items.size() || !(script.items.get(script.position) instanceof Header next)) {
            throw new ReplayMismatchException(script.source + ":" + e.line() + ": reopen -> dfu without a following session");
        }
        script.position++;
        return Optional.of(new ReplayTransport(script, next));
    }

    /**
     * Does nothing: a replay holds no device, and the recording's {@code close} lines are informational
     * (use {@link #assertFinished()} to check that the whole recording was replayed).
     */
    @Override
    public void close() {
        // nothing to release; the close line in the recording is informational
    }

    /**
     * A description for messages: the recording's name, the requests left and the current session's alt
     * settings, e.g. {@code ReplayTransport[flash.dfu4j, 12 requests left, alts [0, 1]]}.
     */
    @Override
    public String toString() {
        return "ReplayTransport[" + script.source + ", " + remaining() + " requests left, alts " + Arrays.toString(
                header.alts().stream().map(AltSetting::altSetting).toArray()) + "]";
    }
}
