package io.github.dfu4j.libusb;

import java.util.Locale;

/** The host OS family, which decides how USB access problems are fixed. */
enum OsFamily {
    LINUX,
    WINDOWS,
    MACOS,
    OTHER;

    /** The OS this JVM runs on. */
    public static OsFamily current() {
        return fromOsName(System.getProperty("os.name", ""));
    }

    /** Classifies a {@code os.name} value such as "Linux", "Windows 11" or "Mac OS X". */
    public static OsFamily fromOsName(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return LINUX;
        }
        if (os.startsWith("windows")) {
            return WINDOWS;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return MACOS;
        }
        return OTHER;
    }
}
