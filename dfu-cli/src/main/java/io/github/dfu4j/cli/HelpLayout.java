package io.github.dfu4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How {@code dfu ... --help} is laid out: the terminal's width (picocli's own wrapping never goes
 * below 55 columns and breaks words it cannot fit, e.g. "-o fw.⏎dfu"), the simulator options
 * ({@code --sim*}) in a section of their own, a short synopsis, and a footer with only the exit codes
 * the command can return ({@link ExitCode#footer}).
 *
 * <p>picocli renders every section unwrapped (a very wide layout); {@link #reflow} then wraps each
 * line at spaces only, so a token such as {@code fw.dfu} or {@code 0x08000000} is never split. A
 * line of two columns (option names or a code, two or more spaces, a description) wraps with the
 * description's column as hanging indent; in a narrow terminal, where that column would leave too
 * little room, the description moves under the names.
 */
final class HelpLayout {
    static final int MIN_WIDTH = 20;
    static final int MAX_WIDTH = 120;
    /** picocli's layout width: wide enough that picocli itself never wraps. */
    static final int UNWRAPPED = 2000;
    static final String SIM_HEADING = "simOptionListHeading";
    static final String SIM_LIST = "simOptionList";
    static final String SIM_PREFIX = "--sim";
    /** Option names up to this long keep their description on the same row (picocli's default, 20, glues longer ones to it). */
    static final int LONG_OPTIONS = 34;

    private HelpLayout() {
    }

    /** Applies the layout to the tool and every subcommand, for a terminal of {@code columns}. */
    static void install(CommandLine root, int columns) {
        install(root, () -> columns);
    }

    /**
     * As {@link #install(CommandLine, int)}; the width is asked for when help is first rendered, so a
     * run that prints no help never asks the terminal ({@link TerminalWidth} may start stty).
     */
    static void install(CommandLine root, IntSupplier columns) {
        IntSupplier width = new IntSupplier() {
            private int known = -1;

            @Override
            public int getAsInt() {
                if (known < 0) {
                    known = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns.getAsInt()));
                }
                return known;
            }
        };
        for (CommandLine c : tree(root, new ArrayList<>())) {
            UsageMessageSpec u = c.getCommandSpec().usageMessage();
            u.width(UNWRAPPED);
            u.longOptionsMaxWidth(LONG_OPTIONS);
            u.abbreviateSynopsis(true);
            u.footer("", ExitCode.footer(nameWithoutTool(c)));
        }
        // no ANSI styles: the wrapping counts characters, and an escape sequence would count as text
        root.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        // sections: set once on the tool; picocli hands the map and keys to every subcommand registered so far
        Map<String, IHelpSectionRenderer> map = root.getHelpSectionMap();
        map.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> options(help, false));
        map.put(SIM_HEADING, help -> simOptions(help).isEmpty() ? ""
                : String.format("%nSimulator options (a built-in simulated device instead of USB):%n"));
        map.put(SIM_LIST, help -> options(help, true));
        // heading and synopsis as one section, so the synopsis wraps knowing where it starts
        IHelpSectionRenderer heading = map.get(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
        IHelpSectionRenderer synopsis = map.get(UsageMessageSpec.SECTION_KEY_SYNOPSIS);
        map.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING, help -> "");
        map.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, help -> heading.render(help) + synopsis.render(help));
        List<String> keys = new ArrayList<>(root.getHelpSectionKeys());
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, SIM_HEADING);
        keys.add(keys.indexOf(SIM_HEADING) + 1, SIM_LIST);
        for (Map.Entry<String, IHelpSectionRenderer> e : map.entrySet()) {
            IHelpSectionRenderer inner = e.getValue();
            int noteIndent = e.getKey().equals(UsageMessageSpec.SECTION_KEY_FOOTER) ? 3 : 0;
            e.setValue(help -> reflow(inner.render(help), width.getAsInt(), noteIndent));
        }
        root.setHelpSectionMap(map);
        root.setHelpSectionKeys(keys);
    }

    static String nameWithoutTool(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName(" ");
        int space = q.indexOf(' ');
        return space < 0 ? "" : q.substring(space + 1);
    }

    private static List<CommandLine> tree(CommandLine c, List<CommandLine> out) {
        if (!out.contains(c)) {
            out.add(c);
            for (CommandLine sub : c.getSubcommands().values()) {
                tree(sub, out);
            }
        }
        return out;
    }

    private static List<OptionSpec> simOptions(Help help) {
        return help.commandSpec().options().stream()
                .filter(o -> !o.hidden() && o.longestName().startsWith(SIM_PREFIX)).toList();
    }

    private static String options(Help help, boolean sim) {
        List<OptionSpec> chosen = help.commandSpec().options().stream()
                .filter(o -> !o.hidden() && o.longestName().startsWith(SIM_PREFIX) == sim).toList();
        if (chosen.isEmpty()) {
            return "";
        }
        return help.optionListExcludingGroups(chosen, help.createDefaultLayout(),
                Help.createShortOptionNameComparator(), help.parameterLabelRenderer());
    }

    // ---- wrapping --------------------------------------------------------------------------------------------

    /** Wraps every line of {@code text} to {@code width} columns at spaces (line ends kept as they are). */
    static String reflow(String text, int width, int noteIndent) {
        if (text.isEmpty()) {
            return text;
        }
        String nl = System.lineSeparator();
        String[] lines = text.split("\\R", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                b.append(nl);
            }
            boolean last = i == lines.length - 1;
            String line = last ? lines[i] : lines[i].stripTrailing(); // a heading's last line keeps its space
            b.append(String.join(nl, wrapLine(line, width, noteIndent)));
        }
        return b.toString();
    }

    /** One picocli line as one or more lines of at most {@code width} columns (a longer token stands alone). */
    static List<String> wrapLine(String line, int width, int noteIndent) {
        int leading = leadingSpaces(line);
        if (line.isBlank()) {
            return List.of("");
        }
        String body = line.substring(leading);
        if (body.startsWith("dfu ") || body.startsWith("$ dfu ")) {
            return List.of(line); // an example command: wrapping it would make it two commands when copied
        }
        if (line.startsWith("Usage: ")) {
            int hang = line.indexOf(" [");
            hang = hang > 0 && hang < width / 2 ? hang + 1 : 7;
            return fill("", line, width, hang, true);
        }
        int narrowIndent = Math.min(8, Math.max(2, width / 5));
        if (leading > width / 2) { // a description picocli put on its own row, at its column
            return fill(" ".repeat(narrowIndent), body, width, narrowIndent, false);
        }
        int gap = leading > 0 ? twoColumnSplit(line, leading) : -1;
        if (gap < 0) {
            int hang = leading == 0 ? 0 : leading + noteIndent;
            return fill(" ".repeat(leading), body, width, hang, false);
        }
        String head = line.substring(0, gap);
        String desc = line.substring(gap);
        boolean option = head.strip().startsWith("-");
        if (gap <= width / 2) {
            return fill(head, desc, width, gap + (option ? 2 : 0), false);
        }
        List<String> out = new ArrayList<>(fill("", head.stripTrailing(), width, leading + 4, false));
        out.addAll(fill(" ".repeat(narrowIndent), desc, width, narrowIndent, false));
        return out;
    }

    /** The column where the second column of "  names  description" starts, or -1. */
    static int twoColumnSplit(String line, int leading) {
        int firstGap = line.indexOf("  ", leading);
        if (firstGap < 0 || firstGap > 60) {
            return -1;
        }
        int start = firstGap;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        return start < line.length() ? start : -1;
    }

    /**
     * Fills {@code text}'s words after {@code prefix} (first line) and {@code hang} spaces (later
     * lines). In a synopsis ({@code synopsis}) a bracketed group such as "[--leave [=ADDR]]" is one word.
     */
    static List<String> fill(String prefix, String text, int width, int hang, boolean synopsis) {
        List<String> words = synopsis ? synopsisWords(text) : List.of(text.split(" ", -1));
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder(prefix);
        boolean empty = true;
        for (String w : words) {
            if (!empty && line.length() + 1 + w.length() > width) {
                out.add(line.toString().stripTrailing());
                line = new StringBuilder(" ".repeat(Math.min(hang, Math.max(0, width - 10))));
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(w);
            empty = false;
        }
        out.add(text.endsWith(" ") ? line.toString() : line.toString().stripTrailing());
        return out;
    }

    private static List<String> synopsisWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        int depth = 0;
        for (char ch : text.toCharArray()) {
            if (ch == ' ' && depth == 0) {
                if (!w.isEmpty()) {
                    words.add(w.toString());
                }
                w.setLength(0);
                continue;
            }
            if (ch == '[' || ch == '(') {
                depth++;
            } else if ((ch == ']' || ch == ')') && depth > 0) {
                depth--;
            }
            w.append(ch);
        }
        if (!w.isEmpty()) {
            words.add(w.toString());
        }
        return words;
    }

    private static int leadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
