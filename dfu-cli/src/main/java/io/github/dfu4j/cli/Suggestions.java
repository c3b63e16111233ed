package io.github.dfu4j.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * "Did you mean" for a mistyped command or option ({@code dfu flsh}, {@code dfu flash --levae}),
 * from picocli's own similarity ranking ({@link UnmatchedArgumentException#getSuggestions()}),
 * worded as one line.
 */
final class Suggestions {
    static final int MAX = 3;

    private Suggestions() {
    }

    static void print(UnmatchedArgumentException ex, PrintWriter err) {
        line(ex).ifPresent(err::println);
    }

    static java.util.Optional<String> line(UnmatchedArgumentException ex) {
        if (ex.getUnmatched().isEmpty()) {
            return java.util.Optional.empty();
        }
        java.util.Set<String> extra = new java.util.LinkedHashSet<>(ex.getSuggestions());
        return line(ex.getCommandLine().getCommandSpec(), ex.getUnmatched().get(0), extra);
    }

    /** "Did you mean ...?" for {@code typed}, an option or subcommand name the command {@code spec} does not have. */
    static java.util.Optional<String> line(CommandLine.Model.CommandSpec spec, String typed, java.util.Collection<String> extra) {
        boolean option = typed.startsWith("-");
        java.util.Set<String> names = new java.util.LinkedHashSet<>(extra);
        if (option) {
            spec.options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(List.of(o.names())));
        } else {
            names.addAll(spec.subcommands().keySet());
        }
        String key = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        int best = Integer.MAX_VALUE;
        List<String> closest = new java.util.ArrayList<>();
        for (String n : names) {
            if (option != n.startsWith("-")) {
                continue;
            }
            int d = distance(key, n);
            if (d > Math.max(2, key.length() / 3)) {
                continue;
            }
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best && closest.size() < MAX) {
                closest.add(n);
            }
        }
        if (closest.isEmpty()) {
            return java.util.Optional.empty();
        }
        String prefix = option ? "" : spec.qualifiedName(" ") + " ";
        List<String> shown = closest.stream().map(s -> "'" + prefix + s + "'").toList();
        String alternatives = shown.size() == 1 ? shown.get(0)
                : String.join(", ", shown.subList(0, shown.size() - 1)) + " or " + shown.get(shown.size() - 1);
        return java.util.Optional.of("Did you mean " + alternatives + "?");
    }

    /** Edit distance with adjacent transpositions (optimal string alignment): "levae" is 1 from "leave". */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** "unknown command 'flsh'" instead of picocli's "Unmatched argument at index 0: 'flsh'" where that is what happened. */
    static String message(CommandLine.ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getCommandLine().getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")
                && u.getCommandLine().getCommandSpec().positionalParameters().isEmpty()) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        return ex.getMessage();
    }

    /** Used by tests: the suggestion line for an argument list, if parsing fails with one. */
    static java.util.Optional<String> forArgs(CommandLine cli, String... args) {
        try {
            cli.parseArgs(args);
            return java.util.Optional.empty();
        } catch (UnmatchedArgumentException e) {
            return line(e);
        }
    }
}
