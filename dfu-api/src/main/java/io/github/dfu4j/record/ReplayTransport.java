package io.github.dfu4j.record;

import io.github.dfu4j.record.RecordingParser.Event;
import io.github.dfu4j.record.RecordingParser.Header;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
 *
 * <p>The file is read by {@link RecordingParser}; the matching and the mismatch reports are
 * {@link ReplayScript}'s; this class serves the {@link DfuTransport} calls from them.
 */
public final class ReplayTransport implements DfuTransport {

    private final ReplayScript script;
    private final Header header;
    private final TimeSource time;

    private ReplayTransport(ReplayScript script, Header header) {
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
        ReplayScript script = RecordingParser.parse(in, source);
        return new ReplayTransport(script, (Header) script.items.get(0));
    }

    /**
     * Events (requests) not yet replayed, in this and later sessions.
     *
     * @return the count of requests still to come, 0 when the replay is finished
     */
    public int remaining() {
        return script.remaining();
    }

    /** Fails unless every recorded request was replayed. */
    public void assertFinished() {
        script.assertFinished();
    }

    private Event expect(String kind, List<String> args) {
        return script.expect(kind, args);
    }

    private void throwIfError(Event e) throws TransportException {
        script.throwIfError(e);
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
            return RecordingParser.unquote(e.result(), script.source, e.line());
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
        Header next = script.nextSession(e);
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
