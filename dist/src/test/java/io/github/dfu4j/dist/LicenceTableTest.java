package io.github.dfu4j.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/licenses.md against the run-time dependencies Maven resolved for each library module and for
 * the CLI distribution (target/runtime-dependencies.txt, written by maven-dependency-plugin's list goal
 * in every module, see the parent pom): every dependency has a row with its version and licence, and the
 * row says for exactly the modules that need it whether they bring it ("yes") or not ("optional").
 */
class LicenceTableTest {
    private static final Path ROOT = Path.of(System.getProperty("dfu4j.root", "..")).toAbsolutePath().normalize();
    private static final String TARGET = System.getProperty("dfu4j.target", "target");
    /** Table column -> module directory. */
    private static final Map<String, String> COLUMNS = Map.of("dfu-formats", "dfu-formats", "dfu-api", "dfu-api",
            "dfu-stm32", "dfu-stm32", "dfu-libusb", "dfu-libusb", "dfu CLI", "dist");
    // group:artifact:type[:classifier]:version:scope[ (optional)][ -- module ...]
    private static final Pattern RESOLVED = Pattern.compile(
            "^\\s+([^:\\s]+):([^:\\s]+):[^:\\s]+(?::[^:\\s]+)?:([^:\\s]+):(compile|runtime)( \\(optional\\))?.*$");

    record Row(String version, String licence, Map<String, String> use) {
    }

    /** group:artifact -> version and use ("yes"/"optional") per module, from one module's list file. */
    static Map<String, String[]> resolved(String module) throws IOException {
        Path file = ROOT.resolve(module).resolve(TARGET).resolve("runtime-dependencies.txt");
        assertTrue(Files.isRegularFile(file), "no " + file + ": build the module first (mvn verify)");
        Map<String, String[]> out = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = RESOLVED.matcher(line);
            if (m.matches()) {
                out.put(m.group(1) + ":" + m.group(2), new String[] {m.group(3), m.group(5) == null ? "yes" : "optional"});
            } else {
                assertTrue(line.isBlank() || line.startsWith("The following") || line.strip().equals("none"),
                        "unexpected line in " + file + ": " + line);
            }
        }
        return out;
    }

    static Map<String, Row> table() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/licenses.md"));
        String[] header = null;
        Map<String, Row> rows = new TreeMap<>();
        for (String line : lines) {
            if (!line.startsWith("|") || line.startsWith("| ---")) {
                continue;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip();
            }
            if (header == null) {
                header = cells;
                assertEquals(List.of("dependency", "version", "licence"), List.of(cells).subList(0, 3));
                continue;
            }
            assertEquals(header.length, cells.length, "cells in row: " + line);
            Matcher key = Pattern.compile("^`([^`]+)`").matcher(cells[0]);
            assertTrue(key.find(), "first cell names the dependency in backticks: " + line);
            Map<String, String> use = new TreeMap<>();
            for (int i = 3; i < cells.length; i++) {
                assertTrue(COLUMNS.containsKey(header[i]), "unknown module column " + header[i]);
                assertTrue(List.of("", "yes", "optional").contains(cells[i]), "cell '" + cells[i] + "' in " + line);
                if (!cells[i].isEmpty()) {
                    use.put(header[i], cells[i]);
                }
            }
            assertFalse(cells[2].isEmpty(), "no licence for " + key.group(1));
            assertTrue(rows.put(key.group(1), new Row(cells[1], cells[2], use)) == null, "two rows for " + key.group(1));
        }
        assertTrue(header != null && List.of(header).containsAll(COLUMNS.keySet()), "a column per module: " + COLUMNS.keySet());
        return rows;
    }

    @Test
    void everyResolvedDependencyHasARowWithItsVersionAndUse() throws IOException {
        Map<String, Row> table = table();
        for (Map.Entry<String, String> col : COLUMNS.entrySet()) {
            Map<String, String[]> deps = resolved(col.getValue());
            for (Map.Entry<String, String[]> d : deps.entrySet()) {
                Row row = table.get(d.getKey());
                assertTrue(row != null, d.getKey() + " (" + col.getKey() + ") has no row in docs/licenses.md");
                assertEquals(d.getValue()[0], row.version(), "version of " + d.getKey() + " in docs/licenses.md");
                assertEquals(d.getValue()[1], row.use().get(col.getKey()),
                        d.getKey() + " in column " + col.getKey() + " of docs/licenses.md");
            }
        }
    }

    @Test
    void everyRowIsAResolvedDependencyOfTheModulesItNames() throws IOException {
        Map<String, Row> table = table();
        for (Map.Entry<String, Row> row : table.entrySet()) {
            assertFalse(row.getValue().use().isEmpty(), row.getKey() + " is used by no module");
            for (String column : row.getValue().use().keySet()) {
                assertTrue(resolved(COLUMNS.get(column)).containsKey(row.getKey()),
                        row.getKey() + " is listed for " + column + " but not resolved there");
            }
        }
    }
}
