package io.github.dfu4j.cli;

import io.github.dfu4j.formats.FirmwareFormat;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code dfu info FILE}, the commonest read-only command line, parsed without picocli.
 *
 * <p>picocli's start-up is most of what {@code dfu info FILE} costs: building the command's model by
 * reflection over its annotations loads picocli's ~170 classes and some 500 of the JDK's, and picocli's
 * classes are Java 5 class files, which JDK 17's class-data archive cannot hold ("Pre JDK 6 class not
 * supported by CDS"), so they are read from the jar and verified on every run (issue 11; the figures are in
 * docs/user-guide.md, "Start-up"). This parser accepts only the plain forms of {@code info}'s command line
 * and builds exactly the {@link InfoCommand} picocli would build for them:
 * <pre>
 *   [-v|--verbose] info [--json] [--format NAME|--format=NAME] [--base ADDR|--base=ADDR] [-v|--verbose] FILE
 * </pre>
 * in any order after {@code info}, each option at most once, one FILE that does not start with
 * {@code -} (or is {@code -}, standard input), a format name as picocli spells it (the enum constant) and
 * an address {@link Numbers} accepts. Anything else — help, {@code --version}, {@code --}, an argument
 * file {@code @FILE}, clustered or abbreviated options, a repeated option, a value that does not convert,
 * a missing or second FILE — returns {@code null}, and picocli parses the command line as before, so its
 * usage errors, "did you mean" and help stay picocli's. QuickInfoTest holds the two parsers to the same
 * result over a seeded generator of {@code info} command lines.
 */
final class QuickInfo {
    private QuickInfo() {
    }

    /** The options picocli would set for {@code args}, or {@code null} when picocli must parse them. */
    static InfoCommand parse(String[] args) {
        int i = 0;
        boolean verbose = false;
        while (i < args.length && isVerbose(args[i])) {
            if (verbose) {
                return null;
            }
            verbose = true;
            i++;
        }
        if (i >= args.length || !args[i].equals("info")) {
            return null;
        }
        InfoCommand c = new InfoCommand();
        boolean json = false;
        boolean subVerbose = false;
        String format = null;
        String base = null;
        String file = null;
        for (i++; i < args.length; i++) {
            String a = args[i];
            String value = null;
            String name = a;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) { // --format=NAME, --base=ADDR
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
                if (!name.equals("--format") && !name.equals("--base")) {
                    return null;
                }
            } else if ((a.equals("--format") || a.equals("--base")) && i + 1 < args.length) {
                value = args[++i];
                if (value.startsWith("-")) { // picocli decides whether that is a value or an option
                    return null;
                }
            }
            switch (name) {
                case "--json" -> {
                    if (json) {
                        return null;
                    }
                    json = true;
                }
                case "-v", "--verbose" -> {
                    if (subVerbose || verbose) {
                        return null;
                    }
                    subVerbose = true;
                }
                case "--format" -> {
                    if (format != null || value == null) {
                        return null;
                    }
                    format = value;
                }
                case "--base" -> {
                    if (base != null || value == null) {
                        return null;
                    }
                    base = value;
                }
                default -> {
                    if (file != null || a.isEmpty() || a.charAt(0) == '@' || (a.charAt(0) == '-' && !a.equals("-"))) {
                        return null;
                    }
                    file = a;
                }
            }
        }
        if (file == null) {
            return null;
        }
        try {
            c.file = Path.of(file);
            c.json = json;
            c.format = format == null ? null : FirmwareFormat.valueOf(format);
            c.base = base == null ? null : Numbers.parse(base);
        } catch (RuntimeException e) { // no such format, not a number, not a path: picocli's message
            return null;
        }
        return c;
    }

    static boolean isVerbose(String a) {
        return a.equals("-v") || a.equals("--verbose");
    }

    /** Runs {@code command} as picocli's execute would (DfuCli.runParsed). */
    static int run(InfoCommand command, String[] args, PrintWriter out, PrintWriter err, boolean verbose) {
        return DfuCli.runParsed(() -> command.run(out), args, out, err, verbose);
    }
}
