package io.github.dfu4j.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's ./dfu launcher installed the way the README shows (ln -s .../dfu ~/bin/dfu) and run from
 * another directory. It runs only when dfu-cli/target/dfu.jar is newer than every source, so that the
 * launcher does not start a Maven build inside this one (after 'mvn install' it always is).
 */
class RootLauncherTest {
    private static final Path ROOT = Path.of(System.getProperty("dfu4j.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void runsThroughASymlinkFromAnotherDirectory() throws Exception {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "./dfu is a bash script");
        Path jar = ROOT.resolve("dfu-cli/target/dfu.jar");
        assumeTrue(Files.isRegularFile(jar) && newestSource().compareTo(Files.getLastModifiedTime(jar)) < 0,
                "dfu-cli/target/dfu.jar is missing or older than the sources; the launcher would build it");
        Path link = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("bin")).resolve("dfu"), ROOT.resolve("dfu"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.copy(ROOT.resolve("examples/firmware/blinky-f405.dfu"), work.resolve("fw.dfu"));

        Process p = new ProcessBuilder(link.toString(), "flash", "fw.dfu", "--sim", "stm32f405")
                .directory(work.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("Flashed and verified 552 bytes"), out);
        assertFalse(out.contains("Could not find the selected project"), out);
        assertFalse(out.contains("\u001b["), "no terminal escape codes: " + out);
    }

    private static FileTime newestSource() throws Exception {
        FileTime newest = FileTime.fromMillis(0);
        for (String dir : List.of("dfu-formats/src", "dfu-api/src", "dfu-stm32/src", "dfu-libusb/src", "dfu-cli/src")) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    FileTime t = Files.getLastModifiedTime(f);
                    newest = t.compareTo(newest) > 0 ? t : newest;
                }
            }
        }
        try (Stream<Path> s = Files.list(ROOT)) {
            for (Path d : (Iterable<Path>) s::iterator) {
                Path pom = d.getFileName().toString().equals("pom.xml") ? d : d.resolve("pom.xml");
                if (Files.isRegularFile(pom) && Files.getLastModifiedTime(pom).compareTo(newest) > 0) {
                    newest = Files.getLastModifiedTime(pom);
                }
            }
        }
        return newest;
    }
}
