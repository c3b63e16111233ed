package io.github.dfu4j.modulecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.UsbBackends;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The setup docs/usb-setup.md §2 documents, run for real: dfu-libusb, dfu-api, dfu-formats, JNA and
 * slf4j on the module path, usb4java (no Automatic-Module-Name, and its native loader needs the
 * class path) plus the application on the class path. The unit tests themselves run on the class
 * path, so without this child JVM nothing would notice a broken module descriptor at run time
 * (a missing {@code opens} for JNA, a package not exported, usb4java no longer reachable).
 * The JNA backend must list devices without error; this host may have no USB at all, so the count
 * is not checked.
 */
class ModulePathLaunchTest {

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void jnaBackendListsDevicesWithDfuLibusbAsANamedModuleAndUsb4javaOnTheClassPath() throws Exception {
        String modulePath = String.join(File.pathSeparator,
                location(UsbBackends.class),                              // dfu-libusb (exploded module)
                location(io.github.dfu4j.transport.DfuTransport.class),   // dfu-api
                location(io.github.dfu4j.formats.DfuSuffix.class),    // dfu-formats
                location(org.slf4j.Logger.class),
                location(com.sun.jna.Native.class));
        List<String> classPathEntries = new ArrayList<>(List.of(location(ModulePathMain.class)));
        // usb4java, its per-platform native jars and commons-lang3, as the test's own class path has them
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("usb4java-") || name.startsWith("libusb4java-") || name.startsWith("commons-lang3-")) {
                classPathEntries.add(entry);
            }
        }
        String classPath = String.join(File.pathSeparator, classPathEntries);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "--module-path", modulePath, "--add-modules", "io.github.dfu4j.libusb",
                "--class-path", classPath, ModulePathMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish:\n" + out);
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
        assertTrue(out.contains("dfu-libusb-module=io.github.dfu4j.libusb\n"), "dfu-libusb ran as a named module:\n" + out);
        assertTrue(out.contains("jna-module=com.sun.jna\n"), out);
        assertTrue(out.contains("backend-JNA=true"), "the JNA backend loads on the module path:\n" + out);
        assertTrue(out.matches("(?s).*jna-devices=\\d+\n.*"), out);
        assertFalse(out.contains("backend-USB4JAVA=false not on the class path"),
                "usb4java on the class path is reachable from the named module:\n" + out);
    }
}
