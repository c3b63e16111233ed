package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.CancellationToken;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuCancelledException.DeviceChanges;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.internal.DfuDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one operation of a {@link DfuDevice} (download, upload, erase, mass erase) with its cancellation
 * token watched by the driver, also during waits, and counts what it changes ({@link JobStats}). After a
 * cancel it winds down: stop watching the token, bring the device back to dfuIDLE (GETSTATUS, then ABORT
 * from dfuDNLOAD-IDLE / dfuUPLOAD-IDLE, or a wait of at most the wind-down budget for a
 * request it still executes), and report what the operation changed.
 */
final class OperationRunner {
    private static final Logger log = LoggerFactory.getLogger(OperationRunner.class);

    /** What an operation does while its token is installed, counting into the stats it is given. */
    @FunctionalInterface
    interface Operation<T> {
        T run(JobStats stats) throws DfuException;
    }

    private final DfuSession session;
    private final Duration windDownBudget;

    OperationRunner(DfuSession session, Duration windDownBudget) {
        this.session = session;
        this.windDownBudget = windDownBudget;
    }

    /** Runs {@code operation} through {@code drv} with {@code cancellation} watched. */
    <T> T run(DfuDriver drv, CancellationToken cancellation, Operation<T> operation) throws DfuException {
        drv.setCancellation(cancellation);
        JobStats stats = new JobStats();
        try {
            return operation.run(stats);
        } catch (DfuCancelledException e) {
            throw cancelled(drv, e, stats);
        } finally {
            drv.setCancellation(CancellationToken.NONE);
        }
    }

    private DfuCancelledException cancelled(DfuDriver drv, DfuCancelledException e, JobStats s) {
        if (e.changes().isPresent()) {
            return e;
        }
        drv.setCancellation(CancellationToken.NONE);
        boolean interrupted = Thread.interrupted(); // the wind-down's requests must not stop at once again
        boolean idle;
        Phase phase = e.phase().orElse(Phase.SETUP);
        try {
            idle = session.windDown(drv, phase, windDownBudget);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!idle) {
            log.warn("after the cancel, the device did not return to dfuIDLE within {} ms", windDownBudget.toMillis());
        }
        List<MemoryRange> written = new ArrayList<>(s.written);
        if (s.runStart >= 0 && s.runEnd > s.runStart) {
            written.add(new MemoryRange(s.runAlt, s.runStart, s.runEnd));
        }
        Optional<MemoryRange> pending = e.duringRequest() ? Optional.ofNullable(s.pending) : Optional.empty();
        DeviceChanges changes = new DeviceChanges(phase, s.erased, s.massErased, written, s.bytesWritten, s.bytesToWrite, pending);
        log.debug("cancelled in {}: {}", phase, changes.describe());
        return e.withChanges(changes, idle);
    }
}
