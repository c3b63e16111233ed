package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeBoot}: JNA's stub is unpacked into the cache once, equal to the jar's entry, re-unpacked when
 * the cached file is cut short; and a JVM given that directory as {@code jna.boot.library.path} (what the tool
 * does) loads the stub from it instead of unpacking a temporary copy.
 */
class NativeBootTest {

    private static byte[] jarStub() throws IOException {
        String resource = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + NativeBoot.stubName();
        try (InputStream in = Native.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, "JNA's jar holds " + resource);
            return in.readAllBytes();
        }
    }

    @Test
    void theStubIsUnpackedOnceAndAgainWhenTheCachedFileIsCutShort(@TempDir Path dir) throws IOException {
        byte[] expected = jarStub();
        Path stub = dir.resolve(NativeBoot.stubName());
        assertTrue(NativeBoot.unpacked(dir));
        assertArrayEquals(expected, Files.readAllBytes(stub));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(stub, old);
        assertTrue(NativeBoot.unpacked(dir));
        assertEquals(old, Files.getLastModifiedTime(stub), "a complete cached stub is not written again");
        Files.write(stub, new byte[] {1, 2, 3});
        assertTrue(NativeBoot.unpacked(dir));
        assertArrayEquals(expected, Files.readAllBytes(stub), "a cut-off stub is replaced");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(stub), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aJvmGivenTheCacheAsBootPathLoadsTheStubFromIt(@TempDir Path dir) throws Exception {
        assertTrue(NativeBoot.unpacked(dir));
        Path out = dir.resolve("probe.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-D" + NativeBoot.BOOT_PATH + "=" + dir,
                "-D" + NativeBoot.PLATFORM_PATH + "=", Probe.class.getName(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM ends");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("probe.log")));
        assertEquals(dir.resolve(NativeBoot.stubName()).toString(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** Loads JNA's stub and writes where JNA says it came from. */
    static final class Probe {
        public static void main(String[] args) throws IOException {
            if (Native.POINTER_SIZE <= 0) {
                throw new IllegalStateException("JNA not initialised");
            }
            Files.writeString(Path.of(args[0]), String.valueOf(System.getProperty("jnidispatch.path")));
        }
    }
}
