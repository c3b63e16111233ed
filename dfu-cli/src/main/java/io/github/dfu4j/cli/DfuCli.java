package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.libusb.Advice;
import io.github.dfu4j.libusb.DeviceFilterSyntaxException;
import io.github.dfu4j.libusb.UsbException;
import io.github.dfu4j.record.RecordingFormatException;
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
        // subcommands, picocli's "help" included: Commands.register, only those a command line can reach
        description = {"Flash and read microcontrollers over USB DFU 1.1 / ST DfuSe, with first-class STM32 support.",
            "'dfu util ARGS...' takes dfu-util's command line instead ('dfu util --help')."})
public final class DfuCli {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print debug logging and stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        if (versionOnly(args)) { // nothing to interrupt: no signal handlers
            System.exit(run(args, System.in, new PrintWriter(System.out, true), err));
        }
        Interruption interruption = Interruption.install(err);
        int code = run(args, System.in, new PrintWriter(System.out, true), err);
        System.exit(interruption.finish(code));
    }

    /** Runs the tool with the given streams (standard input: the process's); returns the exit code. Used by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, out, err);
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, laying help out for a terminal of {@code columns}. */
    static int run(String[] args, PrintWriter out, PrintWriter err, int columns) {
        return run(args, System.in, out, err, columns);
    }

    /**
     * Runs the tool with the given streams; {@code in} is what an input file {@code -} reads. Returns the
     * exit code. An OutOfMemoryError anywhere ends in one line and exit 1 (a stack trace only with
     * --verbose); reading an input names the input itself.
     */
    public static int run(String[] args, java.io.InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, in, out, err, TerminalWidth::columns);
    }

    /** As {@link #run(String[], java.io.InputStream, PrintWriter, PrintWriter)}, help laid out for {@code columns}. */
    static int run(String[] args, java.io.InputStream in, PrintWriter out, PrintWriter err, int columns) {
        return run(args, in, out, err, () -> columns);
    }

    /** The terminal's width is asked only when help is laid out (it may run stty). */
    private static int run(String[] args, java.io.InputStream in, PrintWriter out, PrintWriter err,
            java.util.function.IntSupplier columns) {
        if (args.length > 0 && args[0].equals("util")) { // dfu-util's command line, parsed by its own rules (getopt_long)
            return UtilCommand.run(java.util.Arrays.asList(args).subList(1, args.length), out, err,
                    step -> run(step, in, out, err, columns));
        }
        if (versionOnly(args)) {
            // the same lines picocli prints for --version, without building picocli's model: picocli's own
            // start-up (its classes are Java 5 class files, which no class-data archive holds) is most of
            // what "dfu --version" would cost (issue 11; docs/user-guide.md, "Start-up")
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return ExitCode.OK;
        }
        java.io.InputStream previous = Inputs.standardInput(in);
        try {
            return runWithStreams(args, out, err, columns);
        } catch (OutOfMemoryError e) {
            err.println("dfu: out of memory: the data of this command is too large to hold (" + heapDescription() + ")");
            if (java.util.Arrays.asList(args).contains("-v") || java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCode.DEVICE_FAILURE;
        } finally {
            Inputs.standardInput(previous);
        }
    }

    /** "the Java heap is limited to 5936 MiB; ..." for out-of-memory messages. */
    static String heapDescription() {
        return "the Java heap is limited to " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB; raise it with java -Xmx, e.g. DFU_JAVA_OPTS=-Xmx4g for ./dfu";
    }

    private static int runWithStreams(String[] args, PrintWriter out, PrintWriter err, java.util.function.IntSupplier columns) {
        boolean verbose = verbose(args);
        Verbosity.set(verbose);
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        } else if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"); // the CLI prints warnings itself
        }
        InfoCommand quick = QuickInfo.parse(args);
        if (quick != null) { // "dfu info FILE ...": the same options object without picocli's start-up (QuickInfo)
            return QuickInfo.run(quick, args, out, err, verbose);
        }
        java.util.concurrent.Callable<Integer> device = QuickDevice.parse(args);
        if (device != null) { // the plain forms of "dfu flash" and "dfu upload", likewise (QuickDevice)
            return QuickDevice.run(device, args, out, err, verbose);
        }
        CommandLine cli = new CommandLine(new DfuCli());
        Commands.register(cli, args); // only the commands this command line can reach (start-up, issue 11)
        HelpLayout.install(cli, columns);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(DfuCli::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failed(ex, args, out, err, verbose,
                c -> { // flash/convert pass unknown options on
                    Suggestions.line(commandLine.getCommandSpec(), c.unknownOption().get(), java.util.List.of()).ifPresent(err::println);
                    err.println("Try '" + commandLine.getCommandSpec().qualifiedName(" ") + " --help'.");
                }));
        cli.setParameterExceptionHandler((ex, args1) -> {
            err.println("dfu: " + Suggestions.message(ex));
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
                Suggestions.print(unmatched, err);
            }
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help'.");
            err.flush();
            if (java.util.Arrays.asList(args).contains("--json")) {
                out.println(errorJson(ex, oneLine(ex), ExitCode.USAGE));
                out.flush();
            }
            return ExitCode.USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Runs a command that a quick parser ({@link QuickInfo}, {@link QuickDevice}) built without picocli, as
     * picocli's execute would: its exit code, or a failure reported as the execution exception handler does.
     * Those parsers never accept an argument that looks like an option, so no command they build names one.
     */
    static int runParsed(java.util.concurrent.Callable<Integer> command, String[] args, PrintWriter out, PrintWriter err,
                         boolean verbose) {
        int code;
        try {
            code = command.call();
        } catch (Exception ex) {
            code = failed(ex, args, out, err, verbose, c -> {
                throw new IllegalStateException("a quick command line names no unknown option", ex);
            });
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * What a command that failed prints (one line, the USB advice, the stack trace with --verbose, the
     * --json error object) and its exit code: picocli's execution exception handler, and the runs
     * {@link QuickInfo} makes without picocli. {@code unknownOption} prints the "did you mean" and
     * "Try ... --help" lines for a {@link CliException} naming an unknown option.
     */
    static int failed(Exception ex, String[] args, PrintWriter out, PrintWriter err, boolean verbose,
            java.util.function.Consumer<CliException> unknownOption) {
        ProgressBar.endOpenLine(err); // the message starts on its own line, not after a half-drawn bar
        String message = ex instanceof io.github.dfu4j.ops.WriteRefusedException w
                ? ConfirmOptions.refusal(w).getMessage() : oneLine(ex);
        int code = exitCodeOf(ex);
        if (ex instanceof DfuCancelledException) {
            err.println("dfu: interrupted: " + message); // commands without their own report
        } else {
            err.println("dfu: " + message);
        }
        adviceOf(ex).ifPresent(a -> err.print(adviceText(a, verbose)));
        if (ex instanceof CliException c && c.unknownOption().isPresent()) {
            unknownOption.accept(c);
        }
        if (!(ex instanceof CliException)) {
            if (ReadProtection.isReadProtectionError(ex)) {
                err.println("dfu: " + Remedies.readProtection());
            }
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        if (java.util.Arrays.asList(args).contains("--json")) {
            out.println(errorJson(ex, message, code));
            out.flush();
        }
        return code;
    }

    /**
     * With --json an error is also one JSON object on stdout: {"error": {"message", "exitCode", "type",
     * "needs": [flags that lift a write-gate refusal]}}, so a script reading stdout sees why it failed.
     */
    static String errorJson(Throwable ex, String message, int exitCode) {
        java.util.Map<String, Object> e = Json.object();
        e.put("message", message);
        e.put("exitCode", exitCode);
        Throwable cause = ex instanceof CliException && ex.getCause() != null ? ex.getCause() : ex;
        e.put("type", cause.getClass().getSimpleName());
        Throwable t = ex;
        while (t != null && !(t instanceof io.github.dfu4j.ops.WriteRefusedException)) {
            t = t.getCause();
        }
        if (t instanceof io.github.dfu4j.ops.WriteRefusedException w) {
            e.put("needs", w.missing().stream().map(ConfirmOptions::flagFor).toList());
        }
        java.util.Map<String, Object> root = Json.object();
        root.put("error", e);
        return Json.write(root);
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof CliException c) {
            return c.exitCode();
        }
        if (ex instanceof DfuCancelledException) {
            return Interruption.cancelledExitCode();
        }
        if (ex instanceof io.github.dfu4j.ops.WriteRefusedException w) {
            return ConfirmOptions.refusal(w).exitCode();
        }
        if (ex instanceof FirmwareFormatException || ex instanceof RecordingFormatException
                || ex instanceof io.github.dfu4j.record.ReplayMismatchException) {
            return ExitCode.INVALID_INPUT; // a firmware file, a --sim-state file (also a FirmwareFormatException) or a --replay recording that cannot be read or does not fit
        }
        if (ex instanceof CommandLine.ParameterException || ex instanceof DeviceFilterSyntaxException) {
            return ExitCode.USAGE;
        }
        if (ex instanceof UsbException u) {
            switch (u.problem()) {
                case NO_DEVICE, AMBIGUOUS, ONLY_RUNTIME, LOST_AFTER_DETACH -> {
                    return ExitCode.NO_DEVICE;
                }
                default -> {
                    // NO_BACKEND, CANNOT_OPEN: by the USB error below
                }
            }
        }
        Throwable t = ex;
        while (t != null) {
            if (t instanceof TransportException te) {
                return switch (te.kind()) {
                    case NO_DEVICE, ACCESS, BUSY -> ExitCode.NO_DEVICE;
                    case NOT_SUPPORTED -> te instanceof UsbException u && (u.problem() == UsbException.Problem.NO_BACKEND
                            || u.problem() == UsbException.Problem.CANNOT_OPEN) ? ExitCode.NO_DEVICE : ExitCode.DEVICE_FAILURE;
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
            if (t instanceof UsbException e) {
                return e.advice();
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
        String message = Remedies.message(ex);
        if (message == null || message.isBlank()) {
            message = ex.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /** {@code -v} or {@code --verbose} anywhere; a loop, not a stream: no stream classes on dfu info's path (issue 11). */
    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** {@code dfu --version} or {@code dfu -V} and nothing else. */
    static boolean versionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DfuCli.class.getPackage().getImplementationVersion();
            return new String[] {"dfu4j " + (v == null ? "(development build)" : v)};
        }
    }
}
