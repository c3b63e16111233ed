package io.github.dfu4j.modulecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dfu4j.libusb.BackendChoice;
import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.UsbBackends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The libusb each backend reports is the one it uses, whatever else the process loaded: usb4java's
 * libusb4java carries its own libusb and exports its symbols, so a system libusb that JNA opened
 * RTLD_GLOBAL took over usb4java's calls, and 'dfu doctor' (which loads both) showed usb4java on
 * the system's 1.0.26 while usb4java alone runs its bundled 1.0.22. Child JVMs, because a backend
 * cannot be unloaded: one probes both backends (JNA first, as doctor does), one makes JNA fail
 * (a library path that does not exist) so usb4java loads alone; usb4java's version must agree.
 * Runs only where a system libusb loads through JNA (-Ddfu4j.libusb.path=... points at one).
 */
class LibusbVersionIsolationTest {

    static Map<String, String> probeInChild(String libusbPath) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        if (libusbPath != null) {
            cmd.add("-D" + UsbBackends.LIBRARY_PATH_PROPERTY + "=" + libusbPath);
        }
        cmd.add(ProbeVersionsMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0 && (line.startsWith("JNA=") || line.startsWith("USB4JAVA="))) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void usb4javaReportsItsOwnLibusbAfterJnaLoadedTheSystemOne() throws Exception {
        List<BackendStatus> here = UsbBackends.probe();
        boolean jna = here.stream().anyMatch(s -> s.backend() == BackendChoice.JNA && s.available());
        boolean usb4java = here.stream().anyMatch(s -> s.backend() == BackendChoice.USB4JAVA && s.available());
        assumeTrue(jna && usb4java, "needs a system libusb for JNA and usb4java's natives: " + here);
        Map<String, String> both = probeInChild(System.getProperty(UsbBackends.LIBRARY_PATH_PROPERTY));
        Map<String, String> alone = probeInChild("/nonexistent/libusb-1.0.so.0");
        assertTrue(both.get("JNA").startsWith("true "), both.toString());
        assertTrue(alone.get("JNA").startsWith("false"), alone.toString());
        assertEquals(alone.get("USB4JAVA"), both.get("USB4JAVA"),
                "usb4java's libusb with the system libusb loaded (" + both + ") and without (" + alone + ")");
    }
}
