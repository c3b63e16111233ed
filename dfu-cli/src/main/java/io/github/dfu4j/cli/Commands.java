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
        cli.addSubcommand(new DetachCommand());
        cli.addSubcommand(new ResetCommand());
        cli.addSubcommand(new ListCommand());
        cli.addSubcommand(new InfoCommand());
        cli.addSubcommand(new ConvertCommand());
        cli.addSubcommand(new DoctorCommand());
        cli.addSubcommand(new OptionBytesCommand());
        cli.addSubcommand(new UnprotectCommand());
        // "-@0x08000000" (standard input at an address) looks like an option to picocli; these commands take
        // it as an input, and Inputs.parse turns any other unknown option into a usage error
        for (String name : new String[] {"flash", "convert"}) {
            cli.getSubcommands().get(name).setUnmatchedOptionsArePositionalParams(true);
        }
    }
}
