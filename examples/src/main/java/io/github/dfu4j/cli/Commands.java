package io.github.dfu4j.cli;

import picocli.CommandLine;

/** The list of subcommands, kept in one place. */
final class Commands {
    private Commands() {
    }

    static void register(CommandLine cli) {
        cli.addSubcommand(new InfoCommand());
        cli.addSubcommand(new ConvertCommand());
    }
}
