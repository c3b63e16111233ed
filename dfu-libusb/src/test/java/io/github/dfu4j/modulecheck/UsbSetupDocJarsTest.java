package io.github.dfu4j.modulecheck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The jar files docs/usb-setup.md names in its module-path commands (for example
 * {@code slf4j-api-2.0.16.jar}) are the ones this build resolves: every versioned jar file name in
 * the page must be on dfu-libusb's test class path, which Maven builds from the POMs. A version bump
 * in a POM without the page following it (the page once named slf4j-api 2.0.7 and jna 5.17.0 while
 * the build used 2.0.16 and 5.15.0, so the command failed on a clean machine) fails here.
 */
class UsbSetupDocJarsTest {
    /** A versioned jar file name: artifact-1.2.3.jar, optionally with a classifier (libusb4java-1.3.0-linux-x86-64.jar). */
    static final Pattern JAR = Pattern.compile("([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(\\d+(?:\\.\\d+)+)((?:-[a-z0-9_]+)*)\\.jar");
    /** The same artifact and version as a Maven repository path: .../artifact/VERSION/artifact-VERSION.jar. */
    static final Pattern REPO_PATH = Pattern.compile("/([a-z0-9-]+)/(\\d+(?:\\.\\d+)+)/([a-z0-9.-]+\\.jar)");

    static Path page() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/usb-setup.md"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "docs/usb-setup.md not found above " + Path.of("").toAbsolutePath());
        return dir.resolve("docs/usb-setup.md");
    }

    static Set<String> jarsNamedIn(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = JAR.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    @Test
    void everyVersionedJarThePageNamesIsTheOneTheBuildResolves() throws Exception {
        String text = Files.readString(page(), StandardCharsets.UTF_8);
        Set<String> named = jarsNamedIn(text);
        for (String artifact : List.of("slf4j-api-", "jna-", "usb4java-", "commons-lang3-")) {
            assertTrue(named.stream().anyMatch(n -> n.startsWith(artifact)), "the page names " + artifact + "VERSION.jar: " + named);
        }
        Set<String> onClassPath = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            onClassPath.add(Path.of(entry).getFileName().toString());
        }
        List<String> stale = new ArrayList<>();
        for (String name : named) {
            if (!onClassPath.contains(name)) {
                stale.add(name);
            }
        }
        assertTrue(stale.isEmpty(), "docs/usb-setup.md names jars this build does not use: " + stale
                + "\nresolved: " + onClassPath);
    }

    @Test
    void repositoryPathsAgreeWithTheirFileNames() throws Exception {
        String text = Files.readString(page(), StandardCharsets.UTF_8);
        Matcher m = REPO_PATH.matcher(text);
        int paths = 0;
        while (m.find()) {
            paths++;
            assertTrue(m.group(3).startsWith(m.group(1) + "-" + m.group(2)),
                    "a repository path whose folders and file name disagree: " + m.group());
        }
        assertTrue(paths >= 4, "the by-hand command with $R/... paths is gone from docs/usb-setup.md");
    }

    @Test
    void theCheckSeesAStaleVersion() {
        Set<String> named = jarsNamedIn("$R/org/slf4j/slf4j-api/2.0.7/slf4j-api-2.0.7.jar:jna-5.17.0.jar and "
                + "libusb4java-1.3.0-linux-x86-64.jar");
        assertTrue(named.contains("slf4j-api-2.0.7.jar"), named.toString());
        assertTrue(named.contains("jna-5.17.0.jar"), named.toString());
        assertTrue(named.contains("libusb4java-1.3.0-linux-x86-64.jar"), named.toString());
        assertFalse(named.contains("slf4j-api.jar"), "unversioned names are placeholders, not checked");
    }
}
