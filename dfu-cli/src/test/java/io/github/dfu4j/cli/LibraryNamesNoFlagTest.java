package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The library never names a CLI flag or a {@code dfu} command in its messages: it attaches typed codes
 * ({@code io.github.dfu4j.ops.Remedy}, {@code Confirmation}, {@code DeviceFilter.Field}) and the CLI words
 * them ({@link Remedies}, {@link ConfirmOptions#flagFor}). This scans every string literal in the library
 * modules' main sources for an option ({@code --x}) or {@code dfu <command>} (the CLI's real command names),
 * so such a message cannot come back.
 */
class LibraryNamesNoFlagTest {

    static final List<String> LIBRARY_SOURCES = List.of("dfu-formats/src/main/java", "dfu-api/src/main/java",
            "dfu-stm32/src/main/java", "dfu-libusb/src/main/java");

    /** Literals that name another program's options, never dfu's: the exact literal, and why. */
    static final Map<String, String> OTHER_PROGRAMS = Map.of(
            "sudo udevadm control --reload-rules && sudo udevadm trigger", "udevadm's options (UsbAdvice)",
            "Check that /dev/bus/usb exists; inside a container pass it through (docker run --device",
            "docker's --device option (UsbAdvice)");

    static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z]");

    @Test
    void noLibraryStringLiteralNamesACliFlagOrCommand() throws IOException {
        Pattern command = dfuCommand();
        List<String> offences = new ArrayList<>();
        int literals = 0;
        for (String dir : LIBRARY_SOURCES) {
            try (Stream<Path> files = Files.walk(DocsCommandsTest.ROOT.resolve(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    for (Literal l : literals(Files.readString(f, StandardCharsets.UTF_8))) {
                        literals++;
                        if (OTHER_PROGRAMS.containsKey(l.text())) {
                            continue;
                        }
                        if (FLAG.matcher(l.text()).find() || command.matcher(l.text()).find()) {
                            offences.add(DocsCommandsTest.ROOT.relativize(f) + ":" + l.line() + ": \"" + l.text() + "\"");
                        }
                    }
                }
            }
        }
        assertTrue(literals > 1000, "the scan found the library sources (" + literals + " literals)");
        assertEquals(List.of(), offences, "library messages name CLI flags or commands; attach a typed Remedy instead");
    }

    @Test
    void theScanCatchesFlagsCommandsAndSkipsComments() {
        Pattern command = dfuCommand();
        String source = "// dfu leave --address in a comment\n/* \"--force\" */ class X { String a = \"use \\\"--force\\\"\";\n"
                + "String b = \"then dfu unprotect\"; char c = '\"'; String d = \"dfu-util -a 0, x--y\"; }";
        List<Literal> found = literals(source);
        assertEquals(List.of("use \"--force\"", "then dfu unprotect", "dfu-util -a 0, x--y"),
                found.stream().map(Literal::text).toList());
        assertEquals(3, found.get(1).line());
        assertTrue(FLAG.matcher(found.get(0).text()).find());
        assertTrue(command.matcher(found.get(1).text()).find());
        assertTrue(!FLAG.matcher(found.get(2).text()).find() && !command.matcher(found.get(2).text()).find(),
                "dfu-util's options and x--y are not dfu's");
    }

    /** "dfu flash", "dfu option-bytes", ...: every subcommand the CLI has. */
    static Pattern dfuCommand() {
        CommandLine cli = new CommandLine(new DfuCli());
        Commands.register(cli);
        String names = cli.getSubcommands().keySet().stream().map(Pattern::quote).collect(Collectors.joining("|"));
        return Pattern.compile("\\bdfu (" + names + ")\\b");
    }

    record Literal(String text, int line) {
    }

    /** The string literals (text blocks included) of a Java source, unescaped only for \" and \\, outside comments. */
    static List<Literal> literals(String src) {
        List<Literal> out = new ArrayList<>();
        int line = 1;
        for (int i = 0; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '/') {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
                line++;
            } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? src.length() : end + 1;
                line += (int) src.substring(i, end).chars().filter(ch -> ch == '\n').count();
                i = end;
            } else if (c == '\'') {
                i += src.charAt(i + 1) == '\\' ? 3 : 2; // '"' and '\'' are characters, not literals
                while (i < src.length() && src.charAt(i) != '\'') {
                    i++;
                }
            } else if (c == '"') {
                boolean block = src.startsWith("\"\"\"", i);
                int start = line;
                StringBuilder text = new StringBuilder();
                i += block ? 3 : 1;
                while (i < src.length() && !(block ? src.startsWith("\"\"\"", i) : src.charAt(i) == '"')) {
                    char d = src.charAt(i);
                    if (d == '\\' && i + 1 < src.length()) {
                        text.append(src.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (d == '\n') {
                        line++;
                    }
                    text.append(d);
                    i++;
                }
                i += block ? 2 : 0;
                out.add(new Literal(text.toString(), start));
            }
        }
        return out;
    }
}
