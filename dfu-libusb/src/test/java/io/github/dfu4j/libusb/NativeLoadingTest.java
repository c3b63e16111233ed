package io.github.dfu4j.libusb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Natives load on first use: initialising dfu4j's classes (factory, backends, transport) must not
 * initialise JNA's Native (which loads jnidispatch) or usb4java's LibUsb (which loads libusb4java).
 * A child-first class loader records which classes get initialised.
 */
class NativeLoadingTest {

    /** Loads dfu4j, JNA and usb4java classes itself (child first) and records every class it defines. */
    static final class RecordingLoader extends URLClassLoader {
        final List<String> defined = new ArrayList<>();

        RecordingLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.github.dfu4j.libusb") || name.startsWith("com.sun.jna")
                    || name.startsWith("org.usb4java")) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                    defined.add(name);
                }
                return c;
            }
            return super.loadClass(name, resolve);
        }
    }

    private static URL jarOf(Class<?> c) throws Exception {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void initialisingDfu4jClassesLoadsNoNativeCode() throws Exception {
        URL classes = jarOf(UsbBackends.class); // the main classes of this build (any -Ddfu4j.target folder)
        URL[] urls = {classes, jarOf(com.sun.jna.Native.class), jarOf(org.usb4java.Context.class)};
        try (RecordingLoader loader = new RecordingLoader(urls, NativeLoadingTest.class.getClassLoader())) {
            for (String name : List.of("io.github.dfu4j.libusb.UsbBackends", "io.github.dfu4j.libusb.UsbBackend",
                    "io.github.dfu4j.libusb.Doctor", "io.github.dfu4j.libusb.LibusbDfuTransport",
                    "io.github.dfu4j.libusb.jna.JnaUsbBus", "io.github.dfu4j.libusb.usb4java.Usb4javaUsbBus")) {
                Class.forName(name, true, loader);
            }
            // defaultLoaders() builds the loader lambdas without running them
            Class<?> backends = Class.forName("io.github.dfu4j.libusb.UsbBackends", true, loader);
            var m = backends.getDeclaredMethod("defaultLoaders");
            m.setAccessible(true);
            m.invoke(null);
            assertTrue(loader.defined.contains("io.github.dfu4j.libusb.UsbBackends"));
            assertFalse(loader.defined.contains("com.sun.jna.Native"), loader.defined.toString());
            assertFalse(loader.defined.contains("org.usb4java.LibUsb"), loader.defined.toString());
        }
    }
}
