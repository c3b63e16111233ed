package io.github.dfu4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures its output. */
record CliRunner(int exitCode, String out, String err) {
    static CliRunner run(String... args) {
        return atWidth(TerminalWidth.DEFAULT, args);
    }

    /** Runs with help laid out for a terminal of {@code columns} (the tests' default: 80, whatever COLUMNS says). */
    static CliRunner atWidth(int columns, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DfuCli.run(args, new PrintWriter(out), new PrintWriter(err), columns);
        return new CliRunner(code, out.toString(), err.toString());
    }

    /** Runs the CLI with {@code stdin} as its standard input (what an input file "-" reads). */
    static CliRunner runWithInput(java.io.InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DfuCli.run(args, stdin, new PrintWriter(out), new PrintWriter(err));
        return new CliRunner(code, out.toString(), err.toString());
    }
}
