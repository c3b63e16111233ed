package io.github.dfu4j.cli;

/** The documented exit codes of the {@code dfu} tool. */
final class ExitCode {
    /** Everything worked. */
    static final int OK = 0;
    /** The device or the operation failed (DFU error, verify mismatch, transfer error); also out of memory. */
    static final int DEVICE_FAILURE = 1;
    /** The command line was wrong, or an output file named on it cannot be written. */
    static final int USAGE = 2;
    /** An input file is missing, unreadable, over the 1 GiB cap or not a valid firmware file; a corrupt --sim-state file. */
    static final int INVALID_INPUT = 3;
    /** No matching device, or the device cannot be opened (permissions, driver, --sim-state locked by another process). */
    static final int NO_DEVICE = 4;
    /** Written, but the write made the device reset (option bytes) and it could not be read back: not verified. */
    static final int RESET_NOT_VERIFIED = 5;
    /** Stopped by Ctrl-C (SIGINT): 128 + 2, the shell's convention. SIGTERM gives 143 (128 + 15). */
    static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM. */
    static final int TERMINATED = 143;

    // picocli wraps the footer at 80 columns, so every line stays shorter
    static final String HELP = """
            Exit codes (each command's code reports its own job):
              0  success
              1  device or operation failure (DFU error, verify mismatch, USB error,
                 image does not fit the memory layout); out of memory
              2  usage error (bad option or argument, output file or --sim-state
                 file cannot be written)
              3  invalid input file (missing, unreadable, unknown format, corrupt,
                 over 1 GiB), corrupt --sim-state file
              4  no matching device, or the device cannot be opened (permissions, driver,
                 --sim-state FILE locked by another dfu process for 10 s)
              5  written, but the write reset the device (option bytes) and it could
                 not be read back afterwards: not verified
              130 Ctrl-C (SIGINT), 143 SIGTERM: stopped between two requests, device
                 ABORTed to dfuIDLE, one line says what the chip holds now
              flash --leave: 0 once flashed and verified, even if the device came back
                 in DFU mode (a warning; 1 with --require-start); 1 if leaving failed.
              leave: 1 if the device is still or again in DFU mode afterwards.
              --wait-app: 1 if no application appeared at the device's port in time.""";

    private ExitCode() {
    }
}
