package io.github.dfu4j.record;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A transport decorator that writes everything that happens on it to a line-oriented UTF-8 text
 * file, for bug reports and for {@link ReplayTransport} in tests:
 *
 * <pre>
 * # dfu4j session v1
 * session 1
 * device vid=0483 pid=df11 bcd=2200 dfu=true interface=0 path="1-2" manufacturer="STMicroelectronics" product="STM32  BOOTLOADER" serial="3276..."
 * alt 0 "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"
 * functional 09210bff0000081a01
 * 120500 +80000 out DNLOAD 0 2100000008 timeout=5000 -> ok
 * 200500 +90000 in GETSTATUS 0 6 timeout=5000 -> 00680000 0400
 * 290500 sleep 104000000
 * 400000 +5000000000 in GETSTATUS 0 6 timeout=5000 -> error TIMEOUT "timed out"
 * </pre>
 *
 * Each event line starts with the time since the session began and, for requests, their duration,
 * both in nanoseconds of the transport's clock. Replies are hex ({@code -} for none); failures are
 * {@code error KIND "message"}. A reopen that finds the device again in DFU mode is followed by a new
 * {@code session} block for the reopened transport.
 *
 * <pre>{@code
 * try (DfuTransport t = RecordingTransport.toFile(usbTransport, Path.of("session.dfu4j"));
 *      DfuDevice dev = DfuDevice.open(t)) { ... }
 * }</pre>
 */
public final class RecordingTransport implements DfuTransport {
    private static final Logger log = LoggerFactory.getLogger(RecordingTransport.class);

    /** The file shared by a transport and the transports reopened from it. */
    private static final class Sink {
        private final Writer out;
        private final boolean owned;
        private int sessions;
        private int open;
        private IOException error;

        Sink(Writer out, boolean owned) {
            this.out = out;
            this.owned = owned;
        }

        synchronized void line(String text) {
            if (error != null) {
                return;
            }
            try {
                out.write(text);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                error = e;
                log.warn("recording stopped: {}", e.getMessage());
            }
        }

        synchronized void close() {
            if (--open == 0 && owned) {
                try {
                    out.close();
                } catch (IOException e) {
                    if (error == null) {
                        error = e;
                    }
                }
            }
        }
    }

    private final DfuTransport delegate;
    private final Sink sink;
    private final long base;
    private final TimeSource time;
    private boolean closed;

    private RecordingTransport(DfuTransport delegate, Sink sink) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.sink = sink;
        this.base = delegate.time().nanoTime();
        this.time = new RecordingTime(delegate.time());
        synchronized (sink) {
            sink.open++;
        }
        writeHeader();
    }

    /**
     * Records to a writer; the writer is not closed by {@link #close()}.
     *
     * @param delegate the transport to record, now owned by the returned one (closed with it)
     * @param out      where the recording goes, flushed after every line
     * @return the recording transport; the session header is already written
     */
    public static RecordingTransport wrap(DfuTransport delegate, Writer out) {
        Sink sink = new Sink(Objects.requireNonNull(out, "out"), false);
        sink.line(RecordingFormat.MAGIC);
        return new RecordingTransport(delegate, sink);
    }

    /**
     * Records to a new file (replaced if it exists); closed with the transport.
     *
     * @param delegate the transport to record, now owned by the returned one (closed with it)
     * @param file     the recording file, UTF-8
     * @return the recording transport; the session header is already written
     * @throws IOException when the file cannot be created
     */
    public static RecordingTransport toFile(DfuTransport delegate, Path file) throws IOException {
        Sink sink = new Sink(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
        sink.line(RecordingFormat.MAGIC);
        return new RecordingTransport(delegate, sink);
    }

    /**
     * The first error writing the recording, if any (recording stops at the first error).
     *
     * @return the error, or empty while the recording is complete so far
     */
    public Optional<IOException> recordingError() {
        return Optional.ofNullable(sink.error);
    }

    private void writeHeader() {
        DeviceInfo d = delegate.device();
        sink.line("session " + (++sink.sessions));
        sink.line(String.format("device vid=%04x pid=%04x bcd=%04x dfu=%b interface=%d path=%s manufacturer=%s product=%s serial=%s",
                d.vendorId(), d.productId(), d.bcdDevice(), d.dfuMode(), delegate.interfaceNumber(),
                RecordingFormat.quote(d.path()), RecordingFormat.quote(d.manufacturer()), RecordingFormat.quote(d.product()),
                RecordingFormat.quote(d.serial())));
        for (AltSetting a : delegate.altSettings()) {
            sink.line("alt " + a.altSetting() + " " + RecordingFormat.quote(a.name()));
        }
        sink.line("functional " + RecordingFormat.hex(delegate.functionalDescriptor()));
    }

    private long now() {
        return delegate.time().nanoTime();
    }

    private void event(long start, String what, String result) {
        sink.line((start - base) + " +" + Math.max(0, now() - start) + " " + what + " -> " + result);
    }

    private static String error(TransportException e) {
        return "error " + e.kind() + " " + RecordingFormat.quote(String.valueOf(e.getMessage()));
    }

    /**
     * The delegate's device identity; written once in the {@code device} line of each session header, not
     * recorded again per call.
     *
     * @return the identity of the wrapped device
     */
    @Override
    public DeviceInfo device() {
        return delegate.device();
    }

    /**
     * The delegate's DFU interface number, written as {@code interface=} in the session header.
     *
     * @return bInterfaceNumber of the wrapped transport
     */
    @Override
    public int interfaceNumber() {
        return delegate.interfaceNumber();
    }

    /**
     * The delegate's alternate settings, written as the {@code alt} lines of the session header.
     *
     * @return the wrapped transport's alternate settings, in order
     */
    @Override
    public List<AltSetting> altSettings() {
        return delegate.altSettings();
    }

    /**
     * The delegate's functional descriptor bytes, written in hex as the {@code functional} line of the
     * session header.
     *
     * @return the raw descriptor, empty when the device has none
     */
    @Override
    public byte[] functionalDescriptor() {
        return delegate.functionalDescriptor();
    }

    /**
     * {@inheritDoc} Forwarded to the delegate and recorded as {@code select <alt> -> ok} or
     * {@code -> error KIND "message"}; a failure is rethrown unchanged.
     */
    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        long t = now();
        String what = "select " + altSetting;
        try {
            delegate.selectAltSetting(altSetting);
            event(t, what, "ok");
        } catch (TransportException e) {
            event(t, what, error(e));
            throw e;
        }
    }

    /**
     * {@inheritDoc} Forwarded to the delegate and recorded as
     * {@code in <REQUEST> <wValue> <wLength> timeout=<ms> -> <reply hex>} (or {@code -> error ...}); a
     * failure is rethrown unchanged.
     */
    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        long t = now();
        String what = "in " + RecordingFormat.requestName(request) + " " + value + " " + length + " timeout=" + timeout.toMillis();
        try {
            byte[] reply = delegate.controlIn(request, value, length, timeout);
            event(t, what, RecordingFormat.hex(reply));
            return reply;
        } catch (TransportException e) {
            event(t, what, error(e));
            throw e;
        }
    }

    /**
     * {@inheritDoc} Forwarded to the delegate and recorded as
     * {@code out <REQUEST> <wValue> <data hex> timeout=<ms> -> ok} (or {@code -> error ...}); a failure is
     * rethrown unchanged.
     */
    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        long t = now();
        String what = "out " + RecordingFormat.requestName(request) + " " + value + " " + RecordingFormat.hex(data)
                + " timeout=" + timeout.toMillis();
        try {
            delegate.controlOut(request, value, data, timeout);
            event(t, what, "ok");
        } catch (TransportException e) {
            event(t, what, error(e));
            throw e;
        }
    }

    /**
     * {@inheritDoc} Forwarded to the delegate and recorded as {@code string <index> -> "text"} (or
     * {@code -> error ...}); a failure is rethrown unchanged.
     */
    @Override
    public String stringDescriptor(int index) throws TransportException {
        long t = now();
        try {
            String s = delegate.stringDescriptor(index);
            event(t, "string " + index, RecordingFormat.quote(s));
            return s;
        } catch (TransportException e) {
            event(t, "string " + index, error(e));
            throw e;
        }
    }

    /**
     * {@inheritDoc} Forwarded to the delegate and recorded as {@code reset -> ok} (or {@code -> error ...});
     * a failure is rethrown unchanged.
     */
    @Override
    public void reset() throws TransportException {
        long t = now();
        try {
            delegate.reset();
            event(t, "reset", "ok");
        } catch (TransportException e) {
            event(t, "reset", error(e));
            throw e;
        }
    }

    /**
     * The delegate's clock, with each {@code sleep} also written as a {@code sleep <ns>} line (the host's
     * waits are informational on replay and are not compared).
     *
     * @return a clock that reads the delegate's time and records its sleeps
     */
    @Override
    public TimeSource time() {
        return time;
    }

    /**
     * The delegate's port. Waiting for the device in DFU mode is recorded ({@code reopen timeout=<ms>
     * -> dfu|none}, then the new transport's {@code session} block) and the transport it opens records
     * to the same file; looking at the port ({@code state}, {@code awaitApplication}) sends no request
     * to the device and is not recorded.
     */
    @Override
    public DevicePort port() {
        DevicePort inner = delegate.port();
        return new DevicePort() {
            @Override
            public String path() {
                return inner.path();
            }

            @Override
            public TimeSource time() {
                return inner.time();
            }

            @Override
            public PortState state() throws TransportException {
                return inner.state();
            }

            @Override
            public Optional<DfuTransport> awaitDfu(Duration timeout) throws TransportException {
                long t = now();
                String what = "reopen timeout=" + timeout.toMillis();
                try {
                    Optional<DfuTransport> back = inner.awaitDfu(timeout);
                    event(t, what, back.isPresent() ? "dfu" : "none");
                    return back.map(b -> new RecordingTransport(b, sink));
                } catch (TransportException e) {
                    event(t, what, error(e));
                    throw e;
                }
            }

            @Override
            public Optional<PortState> awaitApplication(Duration timeout) throws TransportException {
                return inner.awaitApplication(timeout);
            }

            @Override
            public String toString() {
                return "recorded " + inner;
            }
        };
    }

    /**
     * Writes a {@code close} line, closes the delegate and, when this was the last open transport of a
     * recording made with {@link #toFile}, closes the file. Idempotent; an error writing the file is not
     * thrown but kept for {@link #recordingError()}.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sink.line((now() - base) + " close");
            delegate.close();
            sink.close();
        }
    }

    /** Records the host's waits; they are informational on replay. */
    private final class RecordingTime implements TimeSource {
        private final TimeSource inner;

        RecordingTime(TimeSource inner) {
            this.inner = inner;
        }

        @Override
        public long nanoTime() {
            return inner.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            sink.line((inner.nanoTime() - base) + " sleep " + duration.toNanos());
            inner.sleep(duration);
        }
    }
}
