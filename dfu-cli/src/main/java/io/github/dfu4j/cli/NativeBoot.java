package io.github.dfu4j.cli;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * JNA's process-wide settings, made by the tool (which owns its process; the libraries never set them) just
 * before it opens a USB backend. Two costs of every command that touches USB go away (issue 11; measured on
 * the real-USB tier's emulated CPU, where they were about 1 s of a 6 s {@code dfu upload}):
 * <ul>
 *   <li>JNA unpacks its native stub ({@code libjnidispatch}) from the jar into a new temporary file on every
 *       run (a secure-random name, a write, a delete). Here it is unpacked once per JNA version and
 *       platform into the user's cache ({@code $XDG_CACHE_HOME/dfu4j} or {@code ~/.cache/dfu4j};
 *       {@code %LOCALAPPDATA%\dfu4j} on Windows) and loaded from there through {@code jna.boot.library.path}.
 *       A cached file whose size differs from the jar's entry is unpacked again (written aside, moved in
 *       whole); if anything fails JNA does what it always did.</li>
 *   <li>On Linux, JNA's first library load runs {@code ldconfig -p} in a child process to build its search
 *       path. The JNA backend loads libusb by its soname, which the dynamic loader finds through its own
 *       cache, so the tool gives JNA an empty platform search path ({@code jna.platform.library.path}).
 *       {@code -Ddfu4j.libusb.path=FILE} still names any other libusb file.</li>
 * </ul>
 * A property the user set ({@code -Djna.boot.library.path=...}) is left as it is.
 */
final class NativeBoot {
    static final String BOOT_PATH = "jna.boot.library.path";
    static final String PLATFORM_PATH = "jna.platform.library.path";
    private static volatile boolean done;

    private NativeBoot() {
    }

    /** Makes the settings once per process; never throws. */
    static void prepare() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (System.getProperty(BOOT_PATH) == null) {
                Path cache = cacheDirectory();
                // JNA's stub version and platform name the directory: another JNA gets its own
                Path dir = cache == null ? null : cache.resolve("jna-" + Native.VERSION_NATIVE + "-" + Platform.RESOURCE_PREFIX);
                if (dir != null && unpacked(dir)) {
                    System.setProperty(BOOT_PATH, dir.toString());
                }
            }
            if (Platform.isLinux() && System.getProperty(PLATFORM_PATH) == null) {
                System.setProperty(PLATFORM_PATH, "");
            }
        } catch (RuntimeException | LinkageError e) {
            // JNA absent or an unknown platform: the backend reports it when it loads
        }
    }

    /** The stub's file name as JNA looks for it in a boot path directory. */
    static String stubName() {
        return System.mapLibraryName("jnidispatch").replace(".dylib", ".jnilib");
    }

    /**
     * True when {@code dir} holds the stub of the JNA on the class path (same size as the jar's entry),
     * unpacking it first if needed.
     */
    static boolean unpacked(Path dir) {
        String resource = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + stubName();
        URL url = Native.class.getClassLoader() == null ? null : Native.class.getClassLoader().getResource(resource);
        if (url == null) {
            return false;
        }
        Path target = dir.resolve(stubName());
        try {
            URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            if (size > 0 && Files.isRegularFile(target) && Files.size(target) == size) {
                return true;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "jnidispatch", ".tmp");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return size <= 0 || Files.size(target) == size;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The per-user cache directory, or null when there is none. */
    static Path cacheDirectory() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        String base = windows ? System.getenv("LOCALAPPDATA") : System.getenv("XDG_CACHE_HOME");
        if (base != null && !base.isBlank()) {
            return Path.of(base, "dfu4j");
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || windows) {
            return null;
        }
        return Path.of(home, ".cache", "dfu4j");
    }
}
