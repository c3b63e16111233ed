package io.github.dfu4j.cli;

import io.github.dfu4j.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code --sim-state FILE} of one command (docs/simulator.md, "State file"): an exclusive lock on
 * the sibling {@code FILE.lock} for the whole command, so two dfu processes never work on one chip at
 * once (the second one's save would silently drop the first one's writes); a save every
 * {@link #SAVE_INTERVAL} while the command runs, so a process killed with SIGKILL leaves a state at
 * most that old (the chip's flash keeps what was written, as a real one does); a final save at the end.
 * The lock is on a sibling file because a save replaces FILE (temp file + atomic rename, so a kill in
 * the middle of a save leaves the previous complete file), and a lock on the replaced inode would
 * protect nothing.
 */
final class SimStateFile implements AutoCloseable {
    /** How long a second process waits for the lock; the system property dfu4j.simStateLockWaitMillis overrides it (tests). */
    static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);
    private static final long POLL_MILLIS = 100;

    private final Path file;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private ScheduledExecutorService saver;

    private SimStateFile(Path file, Path lockFile, FileChannel channel, FileLock lock) {
        this.file = file;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, waiting up to {@link #LOCK_WAIT} for another process to release it.
     *
     * @throws CliException exit 2 when the lock file cannot be created (no such directory, read-only),
     *                      exit 4 when another process still holds it: like a USB device another program
     *                      has claimed, the simulated device cannot be opened
     */
    static SimStateFile lock(Path file, java.io.PrintWriter err) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
        Path dir = absolute.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new CliException(ExitCode.USAGE, "cannot write --sim-state " + file + ": directory " + dir + " does not exist");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.USAGE, "cannot write --sim-state " + file + ": directory " + dir + " does not exist", e);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "--sim-state " + file + ": cannot create the lock file " + lockFile
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", e);
        }
        try {
            long wait = Long.getLong("dfu4j.simStateLockWaitMillis", LOCK_WAIT.toMillis());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
            boolean told = false;
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new SimStateFile(file, lockFile, channel, lock);
                }
                if (Interruption.token().isCancelled()) {
                    throw new CliException(Interruption.cancelledExitCode(), "interrupted while waiting for " + lockFile
                            + "; nothing was done");
                }
                if (System.nanoTime() >= deadline) {
                    throw new CliException(ExitCode.NO_DEVICE, "--sim-state " + file + " is in use by another dfu process"
                            + " (it holds " + lockFile + "); gave up after " + wait / 1000.0 + " s");
                }
                if (!told) {
                    err.println("dfu: --sim-state " + file + " is in use by another dfu process; waiting up to "
                            + wait / 1000.0 + " s");
                    err.flush();
                    told = true;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new CliException(Interruption.cancelledExitCode(), "interrupted while waiting for the lock on " + lockFile);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Saves {@code device} every {@link #SAVE_INTERVAL} from a background thread until {@link #close}. */
    void autosave(SimulatedDevice device) {
        saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-state autosave");
            t.setDaemon(true);
            return t;
        });
        long every = SAVE_INTERVAL.toMillis();
        saver.scheduleWithFixedDelay(() -> {
            try {
                device.save(file);
            } catch (IOException | RuntimeException e) {
                // the final save reports a file that cannot be written
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops the periodic saves (waiting for one in progress) and saves the final state. */
    void save(SimulatedDevice device) throws IOException {
        stopSaver();
        device.save(file);
    }

    private void stopSaver() {
        if (saver != null) {
            saver.shutdown();
            try {
                saver.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            saver = null;
        }
    }

    /** Releases the lock (the lock file stays: deleting it would let a third process lock a new inode). */
    @Override
    public void close() throws IOException {
        stopSaver();
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
