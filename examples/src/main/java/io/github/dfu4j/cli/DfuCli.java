package io.github.dfu4j.cli;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.libusb.Advice;
import io.github.dfu4j.libusb.DeviceAccessException;
import io.github.dfu4j.libusb.DeviceFilterSyntaxException;
import io.github.dfu4j.libusb.DeviceSelectionException;
import io.github.dfu4j.libusb.UsbBackendUnavailableException;
import io.github.dfu4j.stm32.optionbytes.ReadProtection;
import io.github.dfu4j.transport.TransportException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the {@code dfu} command-line tool. */
@Command(name = "dfu",
        mixinStandardHelpOptions = true,
        // every subcommand gets -h/--help too ("dfu flash --help"), not only "dfu help flash"
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = DfuCli.Version.class,
        description = "Flash and read microcontrollers over USB DFU 1.1 / ST DfuSe, with first-class STM32 support.",
        subcommands = {CommandLine.HelpCommand.class})
public final class DfuCli {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print debug logging and stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with the given streams; returns the exit code. Used by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, TerminalWidth.columns());
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, laying help out for a terminal of {@code columns}. */
    static int run(String[] args, PrintWriter out, PrintWriter err, int columns) {
        boolean verbose = java.util.Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        Verbosity.set(verbose);
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        } else if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"); // the CLI prints warnings itself
        }
        CommandLine cli = new CommandLine(new DfuCli());
        Commands.register(cli);
        HelpLayout.install(cli, columns);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(DfuCli::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("dfu: " + (ex instanceof io.github.dfu4j.ops.WriteRefusedException w
                    ? ConfirmOptions.refusal(w).getMessage() : oneLine(ex)));
            adviceOf(ex).ifPresent(a -> err.print(adviceText(a, verbose)));
            if (!(ex instanceof CliException)) {
                ReadProtection.explain(ex).ifPresent(text -> err.println("dfu: " + text));
            }
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return exitCodeOf(ex);
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            err.println("dfu: " + Suggestions.message(ex));
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
                Suggestions.print(unmatched, err);
            }
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help'.");
            err.flush();
            return ExitCode.USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof CliException c) {
            return c.exitCode();
        }
        if (ex instanceof io.github.dfu4j.ops.WriteRefusedException w) {
            return ConfirmOptions.refusal(w).exitCode();
        }
        if (ex instanceof FirmwareFormatException) {
            return ExitCode.INVALID_INPUT;
        }
        if (ex instanceof CommandLine.ParameterException || ex instanceof DeviceFilterSyntaxException) {
            return ExitCode.USAGE;
        }
        if (ex instanceof DeviceSelectionException) {
            return ExitCode.NO_DEVICE;
        }
        Throwable t = ex;
        while (t != null) {
            if (t instanceof TransportException te) {
                return switch (te.kind()) {
                    case NO_DEVICE, ACCESS, BUSY -> ExitCode.NO_DEVICE;
                    case NOT_SUPPORTED -> te instanceof UsbBackendUnavailableException || te instanceof DeviceAccessException
                            ? ExitCode.NO_DEVICE : ExitCode.DEVICE_FAILURE;
                    default -> ExitCode.DEVICE_FAILURE;
                };
            }
            t = t.getCause();
        }
        return ExitCode.DEVICE_FAILURE;
    }

    /** What to do about a USB problem (udev rule, driver), when the exception knows. */
    static java.util.Optional<Advice> adviceOf(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof DeviceAccessException e) {
                return java.util.Optional.ofNullable(e.advice());
            }
            if (t instanceof DeviceSelectionException e) {
                return java.util.Optional.ofNullable(e.advice());
            }
            if (t instanceof UsbBackendUnavailableException e) {
                return java.util.Optional.ofNullable(e.advice());
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The fix for a USB problem under the error line: its first step as one more line (errors are one
     * line, a second may give the fix), the whole advice with --verbose.
     */
    static String adviceText(Advice a, boolean verbose) {
        if (verbose || a.steps().isEmpty()) {
            return a.toText().indent(2);
        }
        String more = a.steps().size() > 1 ? " (" + (a.steps().size() - 1) + " more step"
                + (a.steps().size() > 2 ? "s" : "") + ": dfu doctor, or -v)" : "";
        return "  fix: " + a.steps().get(0) + more + System.lineSeparator();
    }

    static String oneLine(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            message = ex.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DfuCli.class.getPackage().getImplementationVersion();
            return new String[] {"dfu4j " + (v == null ? "(development build)" : v)};
        }
    }
}
