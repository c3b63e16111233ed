package io.github.dfu4j.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The list of subcommands, kept in one place, and which of them a command line needs.
 *
 * <p>picocli builds a command's whole model (every option, by reflection over its annotations) when
 * the command is registered, and that was most of {@code dfu --version}'s start-up (issue 11). A run
 * therefore registers only what it can reach: {@code dfu -v --version} none, {@code dfu info FILE} only
 * {@code info} ({@code dfu --version} alone does not build picocli's model at all, see DfuCli.run). Whenever the command line leaves any doubt (the tool's help or usage, {@code help},
 * an unknown word that wants "did you mean", an argument file {@code @FILE}, an unknown option) every
 * command is registered, so picocli sees exactly what it saw before; the selection never changes
 * how a command line is parsed, only how much is built for it.
 */
final class Commands {
    /** The subcommands' names in the order {@code dfu --help} lists them, after picocli's {@code help}. */
    static final List<String> NAMES = List.of("flash", "upload", "erase", "leave", "detach", "reset", "list", "info", "convert",
            "doctor", "option-bytes", "unprotect");

    private Commands() {
    }

    /** Registers every subcommand (help, man page, completion, tests). */
    static void register(CommandLine cli) {
        register(cli, NAMES);
    }

    /** Registers the subcommands {@code args} can reach ({@link #needed}). */
    static void register(CommandLine cli, String[] args) {
        register(cli, needed(args));
    }

    private static void register(CommandLine cli, List<String> names) {
        if (names.equals(NAMES)) { // picocli's "dfu help [COMMAND]", first in the tool's list, only with all the others
            cli.addSubcommand("help", new CommandLine.HelpCommand());
        }
        for (String name : names) {
            cli.addSubcommand(create(name));
            // "-@0x08000000" (standard input at an address) looks like an option to picocli; these commands take
            // it as an input, and Inputs.parse turns any other unknown option into a usage error
            if (name.equals("flash") || name.equals("convert")) {
                cli.getSubcommands().get(name).setUnmatchedOptionsArePositionalParams(true);
            }
        }
    }

    /** A new instance of the command called {@code name} (one of {@link #NAMES}). */
    static Object create(String name) {
        return switch (name) {
            case "flash" -> new FlashCommand();
            case "upload" -> new UploadCommand();
            case "erase" -> new EraseCommand();
            case "leave" -> new LeaveCommand();
            case "detach" -> new DetachCommand();
            case "reset" -> new ResetCommand();
            case "list" -> new ListCommand();
            case "info" -> new InfoCommand();
            case "convert" -> new ConvertCommand();
            case "doctor" -> new DoctorCommand();
            case "option-bytes" -> new OptionBytesCommand();
            case "unprotect" -> new UnprotectCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /**
     * The subcommands a command line can reach: the tool's own options ({@code -v}, {@code -h},
     * {@code -V}) are skipped; the first other word decides. A known command name: that command (all
     * of them if {@code -h} came first: that is the tool's help, which lists them). Nothing but
     * {@code -V}/{@code --version}: none. Anything else: all.
     */
    static List<String> needed(String[] args) {
        boolean help = false;
        boolean version = false;
        for (String a : args) {
            switch (a) {
                case "-v", "--verbose" -> {
                    continue;
                }
                case "-h", "--help" -> {
                    help = true;
                    continue;
                }
                case "-V", "--version" -> {
                    version = true;
                    continue;
                }
                default -> {
                    return !help && NAMES.contains(a) ? List.of(a) : NAMES;
                }
            }
        }
        return version && !help ? List.of() : NAMES;
    }
}
