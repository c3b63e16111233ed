package io.github.dfu4j.libusb;

import java.util.Objects;
import io.github.dfu4j.libusb.jna.JnaUsbBus;
import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import io.github.dfu4j.libusb.spi.UsbBus;
import io.github.dfu4j.libusb.usb4java.Usb4javaUsbBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link UsbBackend}: the system libusb-1.0 through JNA when it loads, else usb4java, or
 * exactly the one asked for.
 *
 * <pre>{@code
 * try (UsbBackend usb = UsbBackends.open()) {               // -Ddfu4j.usb.backend=auto|jna|usb4java
 *     DfuTransport t = usb.openInDfuMode(DeviceFilter.builder().vidPid("0483:df11").alt("0").build(), Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * Nothing native is loaded before {@code open}; a failed load can be retried (usb4java excepted:
 * its own loader never retries within one JVM).
 */
public final class UsbBackends {
    private static final Logger log = LoggerFactory.getLogger(UsbBackends.class);

    /** System property choosing the backend: auto (default), jna or usb4java. */
    public static final String BACKEND_PROPERTY = "dfu4j.usb.backend";
    /** System property naming the libusb-1.0 shared library file for the JNA backend. */
    public static final String LIBRARY_PATH_PROPERTY = "dfu4j.libusb.path";

    private UsbBackends() {
    }

    /**
     * The backend named by {@value #BACKEND_PROPERTY}, else AUTO.
     *
     * @return the opened backend; close it to release libusb
     * @throws UsbException when no backend loads, naming each one tried and why it failed
     */
    public static UsbBackend open() throws UsbException {
        return open(BackendChoice.fromSystemProperty());
    }

    /**
     * The given backend; AUTO tries JNA, then usb4java.
     *
     * @param choice the backend, or AUTO
     * @throws UsbException naming each backend tried and why it failed
     * @return the opened backend; close it to release libusb
     */
    public static UsbBackend open(BackendChoice choice) throws UsbException {
        return open(choice, defaultLoaders(), Environment.system());
    }

    /**
     * Tries every backend, closes each again, and reports which load. For diagnostics.
     *
     * @return one status per backend, JNA first; never throws for a backend that fails to load
     */
    public static List<BackendStatus> probe() {
        List<BackendStatus> out = new ArrayList<>();
        for (Map.Entry<BackendChoice, BackendLoader> e : defaultLoaders().entrySet()) {
            Attempt a = attempt(e.getKey(), e.getValue());
            if (a.bus() != null) {
                a.bus().close();
            }
            out.add(a.status());
        }
        return out;
    }

    static UsbBackend open(BackendChoice choice, Map<BackendChoice, BackendLoader> loaders, Environment env)
            throws UsbException {
        List<BackendStatus> tried = new ArrayList<>();
        for (Map.Entry<BackendChoice, BackendLoader> e : loaders.entrySet()) {
            if (choice != BackendChoice.AUTO && choice != e.getKey()) {
                continue;
            }
            Attempt a = attempt(e.getKey(), e.getValue());
            tried.add(a.status());
            if (a.bus() != null) {
                log.debug("USB backend {}", a.status().toText());
                return new UsbBackend(e.getKey(), a.bus(), a.status(), env);
            }
            log.debug("USB backend {}", a.status().toText());
        }
        if (tried.isEmpty()) {
            throw new IllegalArgumentException("no loader for backend " + choice);
        }
        throw UsbException.noBackend(tried,
                UsbAdvice.forBackendsUnavailable(env.os(), System.getProperty("os.arch", "")));
    }

    record Attempt(BackendStatus status, UsbBus bus) {
    }

    static Attempt attempt(BackendChoice kind, BackendLoader loader) {
        try {
            UsbBus bus = loader.load();
            return new Attempt(new BackendStatus(kind, true, bus.libusbVersion(), describe(kind, bus)), bus);
        } catch (BackendUnavailableException e) {
            return new Attempt(new BackendStatus(kind, false, "", String.join("; ", e.attempts())), null);
        } catch (LinkageError e) {
            // the binding's own classes are missing (JNA or usb4java not on the class path)
            return new Attempt(new BackendStatus(kind, false, "", "not on the class path: " + e), null);
        }
    }

    private static String describe(BackendChoice kind, UsbBus bus) {
        String origin = bus.origin();
        return origin == null || origin.isBlank() ? kind.name().toLowerCase(java.util.Locale.ROOT) : origin;
    }

    /** JNA first: it works on the module path and on Apple Silicon; usb4java is the fallback. */
    static Map<BackendChoice, BackendLoader> defaultLoaders() {
        Map<BackendChoice, BackendLoader> m = new LinkedHashMap<>();
        // lambdas, not method references: the binding classes (and JNA or usb4java behind them) are
        // resolved only when the loader runs, inside attempt()'s LinkageError handling
        m.put(BackendChoice.JNA, () -> JnaUsbBus.open());
        m.put(BackendChoice.USB4JAVA, () -> Usb4javaUsbBus.open());
        return m;
    }

    /**
     * Whether one backend could start, and with which libusb or why not.
     *
     * @param backend       JNA or USB4JAVA
     * @param available     true when it loaded and libusb_init succeeded
     * @param libusbVersion e.g. "1.0.26.11724", empty when not available
     * @param detail        where it was loaded from, or everything that was tried and why it failed
     */
    public record BackendStatus(BackendChoice backend, boolean available, String libusbVersion, String detail) {
        /**
         * Checks that the required components are present.
         *
         * @param backend       JNA or USB4JAVA
         * @param available     true when it loaded and libusb_init succeeded
         * @param libusbVersion e.g. "1.0.26.11724", empty when not available
         * @param detail        where it was loaded from, or everything that was tried and why it failed
         * @throws NullPointerException when {@code backend}, {@code libusbVersion} or {@code detail} is {@code null}
         */
        public BackendStatus {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(libusbVersion, "libusbVersion");
            Objects.requireNonNull(detail, "detail");
        }

        /**
         * "JNA: libusb 1.0.26.11724 (usb-1.0)" or "usb4java: unavailable: ...".
         *
         * @return the line, without a line terminator
         */
        public String toText() {
            return backend + ": " + (available ? "libusb " + libusbVersion + " (" + detail + ")" : "unavailable: " + detail);
        }

        String activeMark(BackendChoice active) {
            return backend == active ? "* " : "  ";
        }

        /**
         * Insertion-ordered map for JSON output: {@code backend}, {@code available}, {@code libusbVersion}
         * and {@code detail}.
         *
         * @return a new mutable map of plain values
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", backend);
            m.put("available", available);
            m.put("libusbVersion", libusbVersion);
            m.put("detail", detail);
            return m;
        }
    }
}
