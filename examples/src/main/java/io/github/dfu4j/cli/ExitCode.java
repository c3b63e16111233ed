package io.github.dfu4j.cli;

/** The documented exit codes of the {@code dfu} tool. */
final class ExitCode {
    /** Everything worked. */
    static final int OK = 0;
    /** The device or the operation failed (DFU error, verify mismatch, transfer error). */
    static final int DEVICE_FAILURE = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;
    /** An input file is missing, unreadable or not a valid firmware file. */
    static final int INVALID_INPUT = 3;
    /** No matching device, or the device cannot be opened (permissions, driver). */
    static final int NO_DEVICE = 4;

    static final String HELP = """
            Exit codes:
              0  success
              1  device or operation failure (DFU error, verify mismatch, USB error)
              2  usage error (bad option or argument)
              3  invalid input file (unreadable, unknown format, corrupt)
              4  no matching device, or the device cannot be opened (permissions, driver)""";

    private ExitCode() {
    }
}
