package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import picocli.CommandLine;

/** What {@link QuickInfoTest} and {@link QuickDeviceTest} compare the quick parsers with: picocli's own parse. */
final class QuickParsers {
    private QuickParsers() {
    }

    /**
     * The command object picocli builds for {@code args} (the subcommand's), or null when picocli rejects the
     * line or it asks for help or the version.
     */
    static Object picocli(String[] args) {
        CommandLine cli = new CommandLine(new DfuCli());
        Commands.register(cli, args);
        try {
            CommandLine.ParseResult result = cli.parseArgs(args);
            if (result.isUsageHelpRequested() || result.isVersionHelpRequested() || !result.hasSubcommand()) {
                return null;
            }
            CommandLine.ParseResult sub = result.subcommand();
            if (sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
                return null;
            }
            return sub.commandSpec().userObject();
        } catch (CommandLine.ParameterException e) {
            return null;
        }
    }

    /** {@code cases} command lines from {@code generator}, seeded, as parameterized-test arguments. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> lines(long seed, int cases,
                                                                                     Function<Random, String[]> generator) {
        Random r = new Random(seed);
        return java.util.stream.Stream.generate(() -> org.junit.jupiter.params.provider.Arguments.of((Object) generator.apply(r)))
                .limit(cases);
    }

    /** Fails unless more than a tenth of {@code cases} generated lines take the quick path and more than a tenth do not. */
    static void assertBothPathsCovered(Function<String[], Object> quickParser, Function<Random, String[]> generator,
                                       long seed, int cases, String name) {
        Random r = new Random(seed);
        int quick = 0;
        for (int i = 0; i < cases; i++) {
            if (quickParser.apply(generator.apply(r)) != null) {
                quick++;
            }
        }
        assertTrue(quick > cases / 10, name + " took " + quick + " of " + cases + " (seed " + seed + ")");
        assertTrue(cases - quick > cases / 10, "picocli alone took " + (cases - quick) + " of " + cases + " (seed " + seed + ")");
    }
}
