package io.github.dfu4j.cli;

import picocli.CommandLine;

/** The list of subcommands, kept in one place. */
final class Commands {
    private Commands() {
    }

    static void register(CommandLine cli) {
        cli.addSubcommand(new FlashCommand());
        cli.addSubcommand(new UploadCommand());
        cli.addSubcommand(new EraseCommand());
        cli.addSubcommand(new LeaveCommand());
        cli.addSubcommand(new ListCommand());
        cli.addSubcommand(new InfoCommand());
        cli.addSubcommand(new ConvertCommand());
        cli.addSubcommand(new DoctorCommand());
        cli.addSubcommand(new OptionBytesCommand());
        cli.addSubcommand(new UnprotectCommand());
    }
}
