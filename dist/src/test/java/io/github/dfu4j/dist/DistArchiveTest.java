package io.github.dfu4j.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installable archive (target/dfu-VERSION.tar.gz and .zip): its layout, and the tool running from
 * it the way a user installs it, i.e. unpacked anywhere, started through a symlink from another
 * directory, with a PATH that holds a Java runtime and the few POSIX tools bin/dfu uses, but no Maven,
 * and no source checkout.
 */
class DistArchiveTest {
    private static final String VERSION = System.getProperty("dfu4j.version");
    private static final Path ROOT = Path.of(System.getProperty("dfu4j.root", "..")).toAbsolutePath().normalize();
    private static final Path TAR = Path.of(System.getProperty("dfu4j.dist.archive", "missing.tar.gz"));
    private static final Path ZIP = Path.of(System.getProperty("dfu4j.dist.zip", "missing.zip"));

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        assertTrue(Files.isRegularFile(TAR), "no archive " + TAR + " (the tests run after 'package')");
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "bin/dfu is a bash script");
        Path install = Files.createDirectories(tmp.resolve("opt"));
        Result tar = run(List.of("tar", "xzf", TAR.toString(), "-C", install.toString()), tmp, null);
        assertEquals(0, tar.code, "tar xzf: " + tar.output);
        home = install.resolve("dfu-" + VERSION);
    }

    @Test
    void archiveHoldsLaunchersJarsCompletionManPageAndLicence() throws IOException {
        for (String f : List.of("bin/dfu", "bin/dfu.bat", "LICENSE", "NOTICE", "share/man/man1/dfu.1",
                "share/bash-completion/completions/dfu.bash", "share/zsh/dfu.zsh", "share/doc/60-dfu4j.rules",
                "share/doc/licenses.md")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), "missing " + f);
        }
        assertTrue(Files.getPosixFilePermissions(home.resolve("bin/dfu")).contains(PosixFilePermission.OWNER_EXECUTE));
        Set<String> jars = new TreeSet<>();
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            s.forEach(p -> jars.add(p.getFileName().toString()));
        }
        for (String j : List.of("dfu-cli-", "dfu-formats-", "dfu-api-", "dfu-stm32-", "dfu-libusb-", "dfu-cli-picocli-",
                "slf4j-api-", "slf4j-simple-", "jna-", "usb4java-")) {
            assertTrue(jars.stream().anyMatch(n -> n.startsWith(j)), "lib/ has no " + j + "*.jar: " + jars);
        }
        // picocli ships compiled for Java 17 (dfu-cli-picocli), not as the sources jar it is built from
        assertTrue(jars.stream().noneMatch(n -> n.startsWith("picocli-")), "lib/ holds picocli's own jar: " + jars);
        assertTrue(jars.stream().allMatch(n -> n.endsWith(".jar")), "lib/ holds only jars: " + jars);
        assertTrue(Files.readString(home.resolve("bin/dfu.bat")).contains("\r\n"), "dfu.bat has DOS line ends");
    }

    @Test
    void zipHoldsTheSameFilesAsTheTarball() throws IOException {
        Set<String> unpacked = new TreeSet<>();
        try (Stream<Path> s = Files.walk(home)) {
            s.filter(Files::isRegularFile).forEach(p -> unpacked.add(home.getParent().relativize(p).toString()));
        }
        Set<String> zipped = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> zipped.add(e.getName()));
        }
        assertEquals(unpacked, zipped);
    }

    @Test
    void manPageAndCompletionCoverEveryCommand() throws IOException {
        String man = Files.readString(home.resolve("share/man/man1/dfu.1"));
        String bash = Files.readString(home.resolve("share/bash-completion/completions/dfu.bash"));
        assertTrue(man.startsWith(".\\\"") && man.contains(".TH DFU 1"), "a troff man page");
        for (String cmd : List.of("flash", "upload", "erase", "leave", "list", "info", "convert", "doctor")) {
            assertTrue(man.contains(".SS \"dfu " + cmd + "\""), "man page section for " + cmd);
            assertTrue(bash.contains(cmd), "completion knows " + cmd);
        }
        assertTrue(man.contains("\\fB\\-\\-sim\\fR"), "options are listed, hyphens escaped");
        assertTrue(bash.contains("complete -F"), "a bash completion function");
    }

    @Test
    void flashesTheExampleOnASimulatorWithoutMavenOrACheckout() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("path"));
        // java from this JVM, and the tools bin/dfu and /usr/bin/env need (mkdir, mv, rm: the class-data archive
        // in the user's cache); nothing else, so no mvn
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Files.createSymbolicLink(bin.resolve("java"), java);
        for (String tool : List.of("bash", "readlink", "dirname", "mkdir", "mv", "rm")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        Path userBin = Files.createDirectories(tmp.resolve("home/bin"));
        Path link = Files.createSymbolicLink(userBin.resolve("dfu"), home.resolve("bin/dfu"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path firmware = Files.copy(ROOT.resolve("examples/firmware/blinky-f405.dfu"), work.resolve("blinky-f405.dfu"));

        Result r = run(List.of(link.toString(), "flash", firmware.getFileName().toString(), "--sim", "stm32f405"),
                work, bin);
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("Flashed and verified 552 bytes"), r.output);
        assertFalse(r.output.contains("Exception"), r.output);

        // the first run made the class-data archive in the user's cache, silently, and later runs use it
        Path cache = tmp.resolve("home/.cache/dfu4j");
        List<Path> archives;
        try (var s = Files.list(cache)) {
            archives = s.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
        assertEquals(1, archives.size(), archives.toString());
        assertTrue(Files.size(archives.get(0)) > 0, "an empty file marks a failed training: " + archives);

        Result version = run(List.of(link.toString(), "--version"), work, bin);
        assertEquals(0, version.code, version.output);
        assertEquals("dfu4j " + VERSION, version.output.strip(), "Implementation-Version of the CLI jar");

        // an archive that does not fit (here: not an archive at all) is ignored without a word
        Files.delete(archives.get(0)); // the JVM writes it read-only
        Files.write(archives.get(0), new byte[] {1, 2, 3}); // newer than lib/, so not made again
        Result damaged = run(List.of(link.toString(), "--version"), work, bin);
        assertEquals(0, damaged.code, damaged.output);
        assertEquals("dfu4j " + VERSION, damaged.output.strip());
    }

    @Test
    void saysWhatToInstallWhenThereIsNoJava() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("path-nojava"));
        for (String tool : List.of("bash", "readlink", "dirname", "uname")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        Result r = run(List.of(home.resolve("bin/dfu").toString(), "--version"), tmp, bin);
        assertEquals(2, r.code, r.output);
        assertTrue(r.output.startsWith("dfu: no Java runtime found."), r.output);
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("no " + tool + " on this machine");
    }

    record Result(int code, String output) {
    }

    /** Runs a command with an environment of only PATH (when given) and HOME; stdout and stderr together. */
    private static Result run(List<String> command, Path dir, Path path) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        if (path != null) {
            pb.environment().clear();
            pb.environment().put("PATH", path.toString());
            pb.environment().put("HOME", tmp.resolve("home").toString());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
