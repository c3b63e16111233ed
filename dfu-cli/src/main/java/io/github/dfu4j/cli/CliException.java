package io.github.dfu4j.cli;

/** A failure the CLI reports as one line on stderr with a specific exit code. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    /** The argument, when the failure is an option the command does not have (for a "did you mean"). */
    private String unknownOption;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A usage error for an option the command does not have; the handler adds "did you mean" and the help hint. */
    static CliException unknownOption(String argument, String message) {
        CliException e = new CliException(ExitCode.USAGE, message);
        e.unknownOption = argument;
        return e;
    }

    java.util.Optional<String> unknownOption() {
        return java.util.Optional.ofNullable(unknownOption);
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
