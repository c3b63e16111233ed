package io.github.dfu4j.libusb.jna;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds and loads the system libusb-1.0 with JNA. Called on the first {@link JnaUsbBus#open()},
 * never from a static initialiser, and retried on every open (a failed attempt leaves no state).
 */
final class JnaLibraryLoader {

    /** System property naming the libusb-1.0 shared library file to use instead of searching. */
    static final String LIBRARY_PATH_PROPERTY = "dfu4j.libusb.path";

    private JnaLibraryLoader() {
    }

    /** A loaded library and the name it was found under. */
    record Loaded(LibUsbNative library, String name) {
    }

    static Loaded load() throws BackendUnavailableException {
        List<String> attempts = new ArrayList<>();
        List<String> candidates = candidates(System.getProperty(LIBRARY_PATH_PROPERTY),
                System.getProperty("os.name", ""));
        Throwable last = null;
        for (String candidate : candidates) {
            try {
                // direct mapping when it binds (DirectLibUsb), else JNA's interface proxy
                NativeLibrary library = NativeLibrary.getInstance(candidate, options());
                LibUsbNative lib = DirectLibUsb.bind(library, candidate);
                return new Loaded(lib != null ? lib : Native.load(candidate, LibUsbNative.class, options()), candidate);
            } catch (UnsatisfiedLinkError e) {
                attempts.add(candidate + ": " + firstLine(e.getMessage()));
                last = e;
            } catch (LinkageError e) {
                // JNA itself missing or its jnidispatch stub not loadable for this OS/arch
                attempts.add("JNA: " + e);
                throw new BackendUnavailableException("JNA (system libusb-1.0)", attempts, e);
            }
        }
        attempts.add(installHint(System.getProperty("os.name", "")));
        throw new BackendUnavailableException("JNA (system libusb-1.0)", attempts, last);
    }

    /**
     * Library names to try, in order: the explicit property alone when set, else the platform's
     * usual names (Homebrew and MacPorts install outside the default dyld path on macOS).
     */
    static List<String> candidates(String explicitPath, String osName) {
        if (explicitPath != null && !explicitPath.isBlank()) {
            return List.of(explicitPath.strip());
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return List.of("libusb-1.0", "usb-1.0");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return List.of("usb-1.0", "/opt/homebrew/lib/libusb-1.0.dylib", "/usr/local/lib/libusb-1.0.dylib",
                    "/opt/local/lib/libusb-1.0.dylib");
        }
        // the run-time package's soname first: dlopen finds it through the loader's cache at once, while
        // "usb-1.0" means libusb-1.0.so, which only the -dev package installs; when that fails JNA searches
        // its own path list, which on first use runs "ldconfig -p" in a child process (about 1 s of a
        // dfu command's start-up on the emulated CPU of the real-USB tier; issue 11)
        return List.of("libusb-1.0.so.0", "usb-1.0");
    }

    static String installHint(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return "put libusb-1.0.dll (64-bit, from the libusb release archive) next to the application or on"
                    + " PATH, or set -D" + LIBRARY_PATH_PROPERTY + "=C:\\path\\libusb-1.0.dll";
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "install libusb with 'brew install libusb' (or MacPorts), or set -D" + LIBRARY_PATH_PROPERTY
                    + "=/path/libusb-1.0.dylib";
        }
        return "install the libusb-1.0 runtime package (Debian/Ubuntu: 'apt install libusb-1.0-0', Fedora:"
                + " 'dnf install libusb1'), or set -D" + LIBRARY_PATH_PROPERTY + "=/path/libusb-1.0.so.0";
    }

    /** dlopen's RTLD_LAZY (1 on Linux and macOS). */
    static final int RTLD_LAZY = 0x1;
    /** dlopen's RTLD_LOCAL: 0 on Linux, 0x4 on macOS (where leaving it out means global). */
    static final int RTLD_LOCAL_MACOS = 0x4;

    static Map<String, Object> options() {
        return options(Platform.isWindows(), Platform.is64Bit(), Platform.isMac());
    }

    /**
     * Load options. On Unix the library is opened RTLD_LOCAL: JNA's default is RTLD_GLOBAL, which
     * puts the system libusb's symbols in the process-wide scope, and usb4java's libusb4java
     * (libusb linked in, its libusb_* symbols exported and bound lazily) then calls the system
     * libusb instead of its own. 'dfu doctor', which loads both backends, reported usb4java's libusb
     * as the system's 1.0.26 while 'dfu list --backend usb4java' used its bundled 1.0.22.
     */
    static Map<String, Object> options(boolean windows, boolean is64Bit, boolean mac) {
        // libusb.h declares LIBUSB_CALL as WINAPI on Windows: stdcall matters on 32-bit x86 only
        if (windows) {
            return is64Bit ? Map.of() : Map.of(Library.OPTION_CALLING_CONVENTION, Function.ALT_CONVENTION);
        }
        return Map.of(Library.OPTION_OPEN_FLAGS, mac ? RTLD_LAZY | RTLD_LOCAL_MACOS : RTLD_LAZY);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not found";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
