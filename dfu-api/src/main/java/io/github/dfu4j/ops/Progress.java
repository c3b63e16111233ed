package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;

/** Emits the events of one phase; a throwing listener is logged and ignored. */
final class Progress {
    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final ProgressListener listener;
    private final Phase phase;
    private final long total;
    private long done;

    private Progress(ProgressListener listener, Phase phase, long total) {
        this.listener = listener;
        this.phase = phase;
        this.total = total;
    }

    /** A progress that reports nothing (internal re-reads). */
    static Progress silent() {
        return new Progress(ProgressListener.NONE, Phase.VERIFY, 0);
    }

    static Progress start(ProgressListener listener, Phase phase, long total, long address) {
        Progress p = new Progress(listener, phase, total);
        p.emit(ProgressEvent.Type.STARTED, address);
        return p;
    }

    void advance(long bytes, long address) {
        done += bytes;
        emit(ProgressEvent.Type.ADVANCED, address);
    }

    void finish() {
        done = Math.max(done, total);
        emit(ProgressEvent.Type.FINISHED, -1);
    }

    private void emit(ProgressEvent.Type type, long address) {
        try {
            listener.onProgress(new ProgressEvent(phase, type, done, total,
                    address < 0 ? OptionalLong.empty() : OptionalLong.of(address)));
        } catch (RuntimeException e) {
            log.warn("progress listener threw; ignored", e);
        }
    }
}
