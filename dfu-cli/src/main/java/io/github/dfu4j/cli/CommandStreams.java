package io.github.dfu4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's standard output and error: the writers {@link QuickDevice} gave it when it parsed the command
 * line without picocli, else picocli's (the command's spec).
 */
final class CommandStreams {
    PrintWriter out;
    PrintWriter err;

    PrintWriter out(CommandSpec spec) {
        return out != null ? out : spec.commandLine().getOut();
    }

    PrintWriter err(CommandSpec spec) {
        return err != null ? err : spec.commandLine().getErr();
    }
}
