package io.github.dfu4j.record;

import io.github.dfu4j.record.RecordingParser.Event;
import io.github.dfu4j.record.RecordingParser.Header;
import io.github.dfu4j.transport.TransportException;

import java.util.List;

/**
 * A parsed recording and the replay's position in it, shared by the {@link ReplayTransport}s of one
 * file (one per recorded session): the matcher that takes the next recorded request when it is the
 * one the code under test sends (host sleeps and closes are skipped; timeouts are not compared), the
 * virtual clock that advances by each request's recorded duration, and the mismatch report
 * ({@link ReplayMismatchException}) naming the line, the recorded and the actual request.
 */
final class ReplayScript {
    final String source;
    final List<Object> items;
    int position;
    long now = 1_000_000_000L;

    ReplayScript(String source, List<Object> items) {
        this.source = source;
        this.items = items;
    }

    /** Events (requests) not yet replayed, in this and later sessions. */
    int remaining() {
        int n = 0;
        for (int i = position; i < items.size(); i++) {
            if (items.get(i) instanceof Event e && !e.kind().equals("sleep") && !e.kind().equals("close")) {
                n++;
            }
        }
        return n;
    }

    /** Fails unless every recorded request was replayed. */
    void assertFinished() {
        if (remaining() > 0) {
            Event next = peekRequest();
            throw new ReplayMismatchException(source + ":" + next.line() + ": the code under test stopped, but the"
                    + " recording continues with: " + next.text());
        }
    }

    private Event peekRequest() {
        for (int i = position; i < items.size(); i++) {
            Object o = items.get(i);
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
    Event expect(String kind, List<String> args) {
        String got = shortened(kind, args, 0);
        while (position < items.size()) {
            Object o = items.get(position);
            if (o instanceof Event e && (e.kind().equals("sleep") || e.kind().equals("close"))) {
                position++;
                continue;
            }
            if (o instanceof Event e) {
                if (!e.kind().equals(kind) || !e.args().equals(args)) {
                    int from = e.kind().equals(kind) ? firstDifference(e.args(), args) : 0;
                    throw new ReplayMismatchException(source + ":" + e.line() + ": expected "
                            + shortened(e.kind(), e.args(), from) + ", got " + shortened(kind, args, from));
                }
                position++;
                now += e.duration();
                return e;
            }
            throw new ReplayMismatchException(source + ":" + ((Header) o).line() + ": the recorded session ended"
                    + " (device left), got " + got);
        }
        throw new ReplayMismatchException(source + ": the recording ended, got " + got);
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

    void throwIfError(Event e) throws TransportException {
        if (!e.result().startsWith("error ")) {
            return;
        }
        List<String> parts;
        try {
            parts = RecordingParser.tokens(e.result(), source, e.line());
            TransportException.Kind kind = TransportException.Kind.valueOf(parts.get(1));
            String message = parts.size() > 2 ? RecordingParser.unquote(parts.get(2), source, e.line()) : "";
            throw new TransportException(kind, message);
        } catch (RecordingFormatException | IndexOutOfBoundsException | IllegalArgumentException x) {
            throw new ReplayMismatchException(source + ":" + e.line() + ": unreadable error result: " + e.result());
        }
    }

    /**
     * After a recorded {@code reopen -> dfu}: skips to the following session header and returns it.
     *
     * @throws ReplayMismatchException when no session follows
     */
    Header nextSession(Event reopen) {
        while (position < items.size() && items.get(position) instanceof Event s
                && (s.kind().equals("sleep") || s.kind().equals("close"))) {
            position++;
        }
        if (position >= items.size() || !(items.get(position) instanceof Header next)) {
            throw new ReplayMismatchException(source + ":" + reopen.line() + ": reopen -> dfu without a following session");
        }
        position++;
        return next;
    }
}
