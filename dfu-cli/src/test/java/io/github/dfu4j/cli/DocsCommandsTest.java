package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs the {@code dfu} commands that README.md and the docs show, in-process, and checks the exit
 * codes and outputs the docs claim. The project promises to keep the docs true; without this test
 * nothing noticed when the tool's wording, flags or behaviour moved away from them.
 *
 * <p>Conventions in the Markdown (fenced blocks without a language, or sh/shell/console/bash):
 * <ul>
 *   <li>{@code $ dfu ARGS} (or {@code $ ./dfu ARGS}) runs a command; the lines after it, up to the
 *       next {@code $} line or the end of the block, are what it prints (stdout and stderr together).
 *       Each shown line must appear as a line of the actual output; other lines may appear too.
 *       {@code [exit N]} states the exit code; without it the command must exit 0.</li>
 *   <li>A block of bare commands ({@code dfu ARGS} on every non-blank line, {@code # comments}
 *       allowed) runs each command and expects exit 0. If the next fenced block follows with only
 *       blank lines in between and holds no command, it is the output of the block's last command.</li>
 *   <li>{@code <!-- dfu-doc-test: skip (REASON) -->} on the line before a fence excludes that block
 *       (real hardware, another OS). The reason is required.</li>
 *   <li>Commands run when they use a simulator ({@code --sim}) or only read files of the repository
 *       ({@code info}, {@code convert} on existing files). Other commands need a real device or name
 *       placeholder files; they are parsed but not run.</li>
 *   <li>Strict: a line in a block that invokes dfu with {@code --sim} and cannot be parsed as one of
 *       the above fails the test, so such a block cannot silently escape.</li>
 * </ul>
 *
 * <p>Commands run with the repository root as the working directory, rewritten only as follows
 * (and the rewritten paths are turned back into the doc's words in the output before comparing):
 * input files of {@code flash}, {@code info} and {@code convert} become absolute paths under the
 * root; {@code upload}'s output file and the values of {@code --sim-state}, {@code --record},
 * {@code --replay}, {@code -o}/{@code --output} go to one temporary folder per document, so
 * consecutive commands of a page share their simulator state; {@code --sim-time virtual} is added
 * to simulator commands that do not choose a time mode (the docs say their outputs come from
 * virtual-time runs, and real time would make the test wait 30 s for one mass erase).
 */
class DocsCommandsTest {
    /** The pages this test keeps true, relative to the repository root. */
    static final List<String> DOCS = List.of("README.md", "docs/troubleshooting.md", "docs/user-guide.md", "docs/option-bytes.md",
            "docs/dfu-util-compat.md");

    /** Numbers that differ from run to run or with the simulator's timing; applied to shown and actual lines alike. */
    static final List<Map.Entry<Pattern, String>> VARIABLE = List.of(
            Map.entry(Pattern.compile("\\b\\d+(\\.\\d+)? s\\b"), "<N> s"),     // "in 0.33 s", "(erase 1.13 s, ..."
            Map.entry(Pattern.compile("\\b\\d+ ms\\b"), "<N> ms"));           // "still busy after 20024 ms"

    static final Pattern SKIP = Pattern.compile("^\\s*<!--\\s*dfu-doc-test:\\s*skip\\s*\\((.*\\S.*)\\)\\s*-->\\s*$");
    static final Pattern MARKER = Pattern.compile("dfu-doc-test");
    static final Pattern EXIT = Pattern.compile("^\\[exit (\\d+)\\]$");
    static final Pattern FENCE = Pattern.compile("^(\\s*)```(.*)$");
    static final Set<String> SHELL_INFO = Set.of("", "sh", "shell", "console", "bash");
    /** Options whose value is a file dfu writes or keeps state in: moved to the document's temporary folder. */
    static final Set<String> TEMP_FILE_OPTIONS = Set.of("--sim-state", "--record", "--replay", "-o", "--output");
    /** Commands whose positional parameters are input files (FILE[@ADDR[:ALT]]). */
    static final Set<String> INPUT_FILE_COMMANDS = Set.of("flash", "info", "convert");
    /** Commands that need no device: run when their input files are in the repository. */
    static final Set<String> FILE_ONLY_COMMANDS = Set.of("info", "convert");

    static final Path ROOT = findRoot();

    /** One shown command: where it is, its arguments (without "dfu"), what the doc says it prints and exits with. */
    record DocCommand(String doc, int line, List<String> args, List<String> shown, int exit) {
        String where() {
            return doc + ":" + line;
        }

        String text() {
            return "dfu " + String.join(" ", args);
        }
    }

    record Extraction(List<DocCommand> commands, List<String> problems, int skippedBlocks) {
    }

    // ---- the tests ----------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicNode> everyDocumentedSimulatorAndFileCommandDoesWhatTheDocSays(@TempDir Path temp) throws IOException {
        List<DynamicNode> pages = new ArrayList<>();
        for (String doc : DOCS) {
            Extraction extraction = extract(doc, Files.readAllLines(ROOT.resolve(doc), StandardCharsets.UTF_8));
            Path dir = Files.createDirectories(temp.resolve(doc.replace('/', '_')));
            List<DynamicNode> nodes = new ArrayList<>();
            nodes.add(DynamicTest.dynamicTest("every dfu block parses", () ->
                    assertTrue(extraction.problems().isEmpty(), String.join("\n", extraction.problems()))));
            for (DocCommand c : extraction.commands()) {
                if (runnable(c)) {
                    nodes.add(DynamicTest.dynamicTest(c.where() + " " + c.text(), () -> check(c, dir)));
                }
            }
            pages.add(DynamicContainer.dynamicContainer(doc, nodes));
        }
        return pages.stream();
    }

    @Test
    void theReadmeMainJobIsAmongTheTestedCommands() throws IOException {
        Extraction readme = extract("README.md", Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
        List<String> mainJob = List.of("flash", "examples/firmware/blinky-f405.dfu", "--sim", "stm32f405");
        assertTrue(readme.commands().stream().anyMatch(c -> c.args().equals(mainJob) && runnable(c) && c.exit() == 0),
                "README's main job is not a tested command: " + readme.commands());
    }

    @Test
    void aSimulatorCommandThatCannotBeParsedIsReported() {
        Extraction e = extract("t.md", List.of("```", "sudo ./dfu flash x.dfu --sim stm32f405", "```"));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("t.md:2:"), e.problems().toString());

        Extraction mixed = extract("t.md", List.of("```", "dfu flash x.dfu --sim stm32f405", "Flashed", "```"));
        assertEquals(1, mixed.problems().size(), mixed.problems().toString());

        Extraction piped = extract("t.md", List.of("```", "$ dfu list --sim | head", "```"));
        assertEquals(1, piped.problems().size(), piped.problems().toString());
    }

    @Test
    void skippedBlocksNeedAReasonAndAreNotRun() {
        Extraction skipped = extract("t.md", List.of("<!-- dfu-doc-test: skip (real board) -->", "```",
                "$ dfu flash x.dfu --sim stm32f405", "```"));
        assertEquals(List.of(), skipped.commands());
        assertEquals(1, skipped.skippedBlocks());
        Extraction noReason = extract("t.md", List.of("<!-- dfu-doc-test: skip -->", "```", "$ dfu list --sim", "```"));
        assertEquals(1, noReason.problems().size(), noReason.problems().toString());
    }

    @Test
    void outputComesFromTheSameBlockOrTheBlockRightAfterIt() {
        Extraction e = extract("t.md", List.of(
                "```", "$ dfu list --sim", "stm32f405  x", "", "$ dfu leave --sim stm32f405", "dfu: no", "[exit 1]", "```",
                "", "```", "dfu info a.hex   # what is in it", "```", "", "```", "File: a.hex", "```",
                "```", "dfu info b.hex", "```", "prose", "```", "not its output", "```"));
        assertEquals(List.of(
                new DocCommand("t.md", 2, List.of("list", "--sim"), List.of("stm32f405  x"), 0),
                new DocCommand("t.md", 5, List.of("leave", "--sim", "stm32f405"), List.of("dfu: no"), 1),
                new DocCommand("t.md", 11, List.of("info", "a.hex"), List.of("File: a.hex"), 0),
                new DocCommand("t.md", 18, List.of("info", "b.hex"), List.of(), 0)), e.commands());
        assertEquals(List.of(), e.problems());
    }

    @Test
    void shownLinesMatchModuloTimingsAndElisions() {
        assertTrue(matches("Flashed and verified 552 bytes in 0.33 s (erase 0.28 s).",
                List.of("Flashed and verified 552 bytes in 4.10 s (erase 1.00 s).")));
        assertTrue(!matches("Flashed and verified 552 bytes in 0.33 s.", List.of("Flashed and verified 553 bytes in 0.33 s.")));
        assertTrue(matches("{\"a\":1, ... ,\"z\":2}", List.of("{\"a\":1,\"b\":5,\"z\":2}")));
        assertTrue(!matches("{\"a\":1, ... ,\"z\":2}", List.of("{\"a\":1,\"b\":5,\"z\":3}")));
    }

    // ---- extraction ---------------------------------------------------------------------------------------

    /** The commands of one Markdown page, and what could not be parsed. */
    static Extraction extract(String doc, List<String> lines) {
        List<DocCommand> commands = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int skipped = 0;
        DocCommand awaitingOutput = null; // the last command of a bare block, whose output may be the next block
        int i = 0;
        while (i < lines.size()) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                if (MARKER.matcher(lines.get(i)).find() && !SKIP.matcher(lines.get(i)).matches()) {
                    problems.add(doc + ":" + (i + 1) + ": a dfu-doc-test marker must read <!-- dfu-doc-test: skip (REASON) -->");
                }
                if (!lines.get(i).isBlank()) {
                    awaitingOutput = null;
                }
                i++;
                continue;
            }
            String indent = open.group(1);
            String info = open.group(2).trim();
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            List<String> body = new ArrayList<>();
            for (int k = start; k < end; k++) {
                String l = lines.get(k);
                body.add(l.startsWith(indent) ? l.substring(indent.length()) : l.strip());
            }
            boolean skip = start >= 2 && SKIP.matcher(lines.get(start - 2)).matches();
            i = end + 1;
            if (!SHELL_INFO.contains(info)) {
                awaitingOutput = null;
                continue;
            }
            if (skip) {
                skipped++;
                awaitingOutput = null;
                continue;
            }
            DocCommand previous = awaitingOutput;
            awaitingOutput = null;
            boolean prompted = body.stream().anyMatch(l -> l.startsWith("$ "));
            boolean bare = body.stream().anyMatch(l -> dfuArgs(l) != null);
            if (prompted) {
                parsePrompted(doc, start, body, commands, problems);
            } else if (bare) {
                List<DocCommand> block = new ArrayList<>();
                for (int k = 0; k < body.size(); k++) {
                    String l = body.get(k);
                    if (l.isBlank()) {
                        continue;
                    }
                    List<String> args = dfuArgs(stripComment(l));
                    if (args == null) {
                        problems.add(doc + ":" + (start + k + 1) + ": a block of bare dfu commands holds a line that is not one "
                                + "(show output after a '$ dfu ...' line instead): " + l);
                    } else if (args.isEmpty()) {
                        problems.add(doc + ":" + (start + k + 1) + ": cannot parse this dfu command: " + l);
                    } else {
                        block.add(new DocCommand(doc, start + k + 1, args, List.of(), 0));
                    }
                }
                commands.addAll(block);
                if (!block.isEmpty()) {
                    awaitingOutput = block.get(block.size() - 1);
                }
            } else {
                // no command in it: the output of the bare block right before, if there is one
                List<String> shown = body.stream().filter(l -> !l.isBlank()).toList();
                if (previous != null && commands.get(commands.size() - 1) == previous) {
                    commands.set(commands.size() - 1, new DocCommand(doc, previous.line(), previous.args(), shown, previous.exit()));
                }
                for (int k = 0; k < body.size(); k++) {
                    if (invokesDfuWithSim(body.get(k))) {
                        problems.add(doc + ":" + (start + k + 1) + ": runs dfu with --sim but is not a '$ dfu ...' or bare "
                                + "'dfu ...' line: " + body.get(k));
                    }
                }
            }
        }
        return new Extraction(commands, problems, skipped);
    }

    private static void parsePrompted(String doc, int start, List<String> body, List<DocCommand> commands, List<String> problems) {
        int k = 0;
        while (k < body.size() && body.get(k).isBlank()) {
            k++;
        }
        if (k < body.size() && !body.get(k).startsWith("$ ")) {
            problems.add(doc + ":" + (start + k + 1) + ": a block with '$' prompts must start with one: " + body.get(k));
        }
        while (k < body.size()) {
            String prompt = body.get(k);
            int line = start + k + 1;
            k++;
            List<String> shown = new ArrayList<>();
            int exit = 0;
            boolean exitGiven = false;
            while (k < body.size() && !body.get(k).startsWith("$ ")) {
                String l = body.get(k);
                Matcher m = EXIT.matcher(l.strip());
                if (m.matches()) {
                    if (exitGiven) {
                        problems.add(doc + ":" + (start + k + 1) + ": a second [exit N] for one command");
                    }
                    exit = Integer.parseInt(m.group(1));
                    exitGiven = true;
                } else if (exitGiven && !l.isBlank()) {
                    problems.add(doc + ":" + (start + k + 1) + ": output after [exit N]: " + l);
                } else if (!l.isBlank()) {
                    shown.add(l);
                }
                k++;
            }
            if (!prompt.startsWith("$ ")) {
                continue; // reported above
            }
            List<String> args = dfuArgs(stripComment(prompt.substring(2)));
            if (args == null || args.isEmpty()) {
                problems.add(doc + ":" + line + ": cannot parse this command (expected '$ dfu ARGS'): " + prompt);
            } else {
                commands.add(new DocCommand(doc, line, args, List.copyOf(shown), exit));
            }
        }
    }

    /**
     * The arguments of a line that runs dfu ("dfu ARGS" or "./dfu ARGS"): null when it does not start
     * with dfu, empty when it does but holds shell syntax this test does not interpret.
     */
    static List<String> dfuArgs(String line) {
        String l = line.strip();
        if (!(l.startsWith("dfu ") || l.startsWith("./dfu ") || l.equals("dfu") || l.equals("./dfu"))) {
            return null;
        }
        if (l.matches(".*([|<>;&`]|\\$\\().*") || l.contains("\"") || l.contains("'")) {
            return List.of();
        }
        List<String> words = List.of(l.split("\\s+"));
        return words.subList(1, words.size());
    }

    private static String stripComment(String line) {
        int hash = line.indexOf(" #");
        return hash < 0 ? line : line.substring(0, hash);
    }

    /** A line that mentions running dfu (dfu, ./dfu, dfu.jar as a word) with a --sim option. */
    static boolean invokesDfuWithSim(String line) {
        return line.matches(".*(^|[\\s/$])(\\./)?dfu(\\.jar)?\\s.*") && line.matches(".*\\s--sim(\\s|=|$).*");
    }

    // ---- running ------------------------------------------------------------------------------------------

    static boolean runnable(DocCommand c) {
        if (c.args().contains("--sim") || c.args().stream().anyMatch(a -> a.startsWith("--sim="))) {
            return true;
        }
        return FILE_ONLY_COMMANDS.contains(c.args().get(0))
                && positionals(c.args()).stream().allMatch(p -> Files.exists(ROOT.resolve(pathPart(p))));
    }

    private static void check(DocCommand c, Path dir) {
        Map<String, String> rewritten = new LinkedHashMap<>(); // actual path -> the doc's word
        List<String> args = rewrite(c, dir, rewritten);
        CliRunner run = CliRunner.run(args.toArray(String[]::new));
        String output = run.out() + (run.out().isEmpty() || run.out().endsWith("\n") ? "" : "\n") + run.err();
        for (Map.Entry<String, String> e : rewritten.entrySet()) {
            output = output.replace(e.getKey(), e.getValue());
        }
        List<String> actual = output.lines().map(String::stripTrailing).toList();
        String context = c.where() + " " + c.text() + "\n  ran: dfu " + String.join(" ", args) + "\n  actual output:\n"
                + actual.stream().map(l -> "    " + l).collect(Collectors.joining("\n"));
        assertEquals(c.exit(), run.exitCode(), "exit code of " + context);
        List<String> missing = c.shown().stream().filter(s -> !matches(s, actual)).toList();
        if (!missing.isEmpty()) {
            fail("lines the doc shows but dfu did not print:\n" + missing.stream().map(l -> "    " + l)
                    .collect(Collectors.joining("\n")) + "\n" + context);
        }
    }

    /** The explicit rewrites of the class comment. */
    static List<String> rewrite(DocCommand c, Path dir, Map<String, String> rewritten) {
        List<String> in = c.args();
        if (in.get(0).equals("util")) {
            return rewriteUtil(in, dir, rewritten);
        }
        List<String> out = new ArrayList<>();
        CommandSpec spec = specOf(in);
        String command = in.get(0);
        int subcommands = depth(in);
        boolean positionalIsOutput = command.equals("upload");
        for (int k = 0; k < in.size(); k++) {
            String a = in.get(k);
            if (k < subcommands) {
                out.add(a);
            } else if (a.startsWith("-")) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                OptionSpec option = spec.findOption(name);
                boolean takesNext = option != null && !a.contains("=") && option.arity().min() > 0;
                if (TEMP_FILE_OPTIONS.contains(name)) {
                    String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : in.get(++k);
                    String moved = temp(dir, value, rewritten);
                    out.add(a.contains("=") ? name + "=" + moved : a);
                    if (!a.contains("=")) {
                        out.add(moved);
                    }
                } else {
                    out.add(a);
                    if (takesNext && k + 1 < in.size()) {
                        out.add(in.get(++k));
                    }
                }
            } else if (positionalIsOutput) {
                out.add(temp(dir, a, rewritten));
            } else if (INPUT_FILE_COMMANDS.contains(command)) {
                String path = pathPart(a);
                String absolute = ROOT.resolve(path).toString();
                rewritten.put(absolute, path);
                out.add(absolute + a.substring(path.length()));
            } else {
                out.add(a);
            }
        }
        if (spec.findOption("--sim-time") != null && in.contains("--sim") && in.stream().noneMatch(a -> a.startsWith("--sim-time"))) {
            out.add("--sim-time");
            out.add("virtual");
        }
        return out;
    }

    /**
     * {@code dfu util} (dfu-util's command line, not picocli's): -D FILE is an input under the root, -U FILE
     * and --sim-state FILE go to the temporary folder; the doc writes them as separate words.
     */
    static List<String> rewriteUtil(List<String> in, Path dir, Map<String, String> rewritten) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < in.size(); k++) {
            String a = in.get(k);
            out.add(a);
            if (k + 1 >= in.size()) {
                continue;
            }
            if (a.equals("-D") || a.equals("--download")) {
                String path = in.get(++k);
                String absolute = ROOT.resolve(path).toString();
                rewritten.put(absolute, path);
                out.add(absolute);
            } else if (a.equals("-U") || a.equals("--upload") || a.equals("--sim-state")) {
                out.add(temp(dir, in.get(++k), rewritten));
            }
        }
        if (in.contains("--sim") && in.stream().noneMatch(a -> a.startsWith("--sim-time"))) {
            out.add("--sim-time");
            out.add("virtual");
        }
        return out;
    }

    private static String temp(Path dir, String value, Map<String, String> rewritten) {
        if (Path.of(value).isAbsolute()) {
            throw new AssertionError("a doc command writes to an absolute path; use a relative one: " + value);
        }
        String moved = dir.resolve(value).toString();
        rewritten.put(moved, value);
        return moved;
    }

    /** The positional parameters (file arguments) of a file command, skipping option values. */
    static List<String> positionals(List<String> args) {
        CommandSpec spec = specOf(args);
        List<String> out = new ArrayList<>();
        for (int k = depth(args); k < args.size(); k++) {
            String a = args.get(k);
            if (a.startsWith("-")) {
                OptionSpec option = spec.findOption(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
                if (option != null && !a.contains("=") && option.arity().min() > 0) {
                    k++;
                }
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /** FILE of FILE@ADDR[:ALT]. */
    static String pathPart(String arg) {
        int at = arg.indexOf('@');
        return at < 0 ? arg : arg.substring(0, at);
    }

    /** The picocli spec of the (sub)command the arguments name, e.g. "option-bytes show". */
    static CommandSpec specOf(List<String> args) {
        CommandLine cli = new CommandLine(new DfuCli());
        Commands.register(cli);
        for (String a : args) {
            CommandLine sub = cli.getSubcommands().get(a);
            if (sub == null) {
                break;
            }
            cli = sub;
        }
        return cli.getCommandSpec();
    }

    private static int depth(List<String> args) {
        CommandLine cli = new CommandLine(new DfuCli());
        Commands.register(cli);
        int n = 0;
        for (String a : args) {
            CommandLine sub = cli.getSubcommands().get(a);
            if (sub == null) {
                break;
            }
            cli = sub;
            n++;
        }
        return n;
    }

    // ---- comparing ----------------------------------------------------------------------------------------

    /** Whether a shown line is one of the actual lines, after normalising timings; " ... " in it stands for anything. */
    static boolean matches(String shown, List<String> actual) {
        String expected = normalise(shown.stripTrailing());
        Pattern pattern = Pattern.compile(Stream.of(expected.split(" \\.\\.\\. ", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
        return actual.stream().map(DocsCommandsTest::normalise).anyMatch(a -> pattern.matcher(a).matches());
    }

    static String normalise(String line) {
        String out = line;
        for (Map.Entry<Pattern, String> v : VARIABLE) {
            out = v.getKey().matcher(out).replaceAll(v.getValue());
        }
        return out;
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no repository root (README.md and docs/) above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
