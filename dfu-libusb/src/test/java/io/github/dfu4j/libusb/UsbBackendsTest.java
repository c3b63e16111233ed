package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UsbBackendsTest {
    private final AtomicInteger jnaLoads = new AtomicInteger();
    private final AtomicInteger usb4javaLoads = new AtomicInteger();
    private final FakeUsbBus jnaBus = new FakeUsbBus();
    private final FakeUsbBus usb4javaBus = new FakeUsbBus();
    private final Environment env = new Environment(OsFamily.LINUX, new FakeClock(), Duration.ofMillis(100),
            HostInspector.NONE);

    private BackendLoader working(AtomicInteger counter, FakeUsbBus bus) {
        return () -> {
            counter.incrementAndGet();
            return bus;
        };
    }

    private BackendLoader failing(AtomicInteger counter, String backend, String... why) {
        return () -> {
            counter.incrementAndGet();
            throw new BackendUnavailableException(backend, List.of(why), null);
        };
    }

    private Map<BackendChoice, BackendLoader> loaders(BackendLoader jna, BackendLoader usb4java) {
        Map<BackendChoice, BackendLoader> m = new LinkedHashMap<>();
        m.put(BackendChoice.JNA, jna);
        m.put(BackendChoice.USB4JAVA, usb4java);
        return m;
    }

    @Test
    void autoPrefersTheSystemLibusbAndDoesNotTouchUsb4java() throws Exception {
        Map<BackendChoice, BackendLoader> m = loaders(working(jnaLoads, jnaBus), working(usb4javaLoads, usb4javaBus));
        assertEquals(0, jnaLoads.get() + usb4javaLoads.get(), "building the factory loads nothing");
        try (UsbBackend b = UsbBackends.open(BackendChoice.AUTO, m, env)) {
            assertEquals(BackendChoice.JNA, b.kind());
            assertEquals("1.0.99.0-fake", b.libusbVersion());
            assertEquals("fake bus", b.status().detail());
        }
        assertEquals(1, jnaLoads.get());
        assertEquals(0, usb4javaLoads.get());
        assertEquals(1, jnaBus.closeCalls);
    }

    @Test
    void autoFallsBackToUsb4javaWhenTheSystemLibusbDoesNotLoad() throws Exception {
        Map<BackendChoice, BackendLoader> m = loaders(failing(jnaLoads, "JNA", "usb-1.0: not found"),
                working(usb4javaLoads, usb4javaBus));
        try (UsbBackend b = UsbBackends.open(BackendChoice.AUTO, m, env)) {
            assertEquals(BackendChoice.USB4JAVA, b.kind());
        }
        assertEquals(1, jnaLoads.get());
        assertEquals(1, usb4javaLoads.get());
    }

    @Test
    void explicitChoiceLoadsOnlyThatBackendAndDoesNotFallBack() {
        Map<BackendChoice, BackendLoader> m = loaders(working(jnaLoads, jnaBus),
                failing(usb4javaLoads, "usb4java", "native library did not load: darwin-aarch64"));
        UsbException e = assertThrows(UsbException.class,
                () -> UsbBackends.open(BackendChoice.USB4JAVA, m, env));
        assertEquals(0, jnaLoads.get());
        assertEquals(1, e.attempts().size());
        assertEquals(BackendChoice.USB4JAVA, e.attempts().get(0).backend());
    }

    @Test
    void whenNothingLoadsTheErrorNamesEachBackendAndWhy() {
        Map<BackendChoice, BackendLoader> m = loaders(
                failing(jnaLoads, "JNA", "usb-1.0: Unable to load library 'usb-1.0'", "install libusb-1.0-0"),
                (BackendLoader) () -> {
                    throw new NoClassDefFoundError("org/usb4java/LibUsb");
                });
        UsbException e = assertThrows(UsbException.class,
                () -> UsbBackends.open(BackendChoice.AUTO, m, env));
        assertEquals(TransportException.Kind.NOT_SUPPORTED, e.kind());
        String msg = e.getMessage();
        assertTrue(msg.startsWith("No USB backend could be loaded (JNA: usb-1.0: Unable to load library 'usb-1.0';"
                + " install libusb-1.0-0 | USB4JAVA: not on the class path: java.lang.NoClassDefFoundError:"
                + " org/usb4java/LibUsb). Install libusb-1.0"), msg);
        assertEquals(2, e.attempts().size());
        assertFalse(e.attempts().get(1).available());
        assertTrue(e.advice().orElseThrow().steps().stream().anyMatch(s -> s.contains("dfu4j.libusb.path")));
    }

    @Test
    void aFailedLoadCanBeRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BackendLoader flaky = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new BackendUnavailableException("JNA", List.of("first try fails"), null);
            }
            return jnaBus;
        };
        Map<BackendChoice, BackendLoader> m = loaders(flaky, failing(usb4javaLoads, "usb4java", "absent"));
        assertThrows(UsbException.class, () -> UsbBackends.open(BackendChoice.AUTO, m, env));
        try (UsbBackend b = UsbBackends.open(BackendChoice.AUTO, m, env)) {
            assertEquals(BackendChoice.JNA, b.kind());
        }
    }

    @Test
    void backendChoiceParsesNamesAndTheSystemProperty() {
        assertEquals(BackendChoice.AUTO, BackendChoice.parse(" Auto "));
        assertEquals(BackendChoice.JNA, BackendChoice.parse("jna"));
        assertEquals(BackendChoice.USB4JAVA, BackendChoice.parse("USB4JAVA"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendChoice.parse("hid"));
        assertEquals("USB backend \"hid\" is not one of auto, jna, usb4java", e.getMessage());
        String old = System.getProperty(UsbBackends.BACKEND_PROPERTY);
        try {
            System.setProperty(UsbBackends.BACKEND_PROPERTY, "usb4java");
            assertEquals(BackendChoice.USB4JAVA, BackendChoice.fromSystemProperty());
            System.setProperty(UsbBackends.BACKEND_PROPERTY, "bogus");
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, BackendChoice::fromSystemProperty);
            assertTrue(p.getMessage().startsWith("-Ddfu4j.usb.backend=bogus"));
            System.clearProperty(UsbBackends.BACKEND_PROPERTY);
            assertEquals(BackendChoice.AUTO, BackendChoice.fromSystemProperty());
        } finally {
            if (old == null) {
                System.clearProperty(UsbBackends.BACKEND_PROPERTY);
            } else {
                System.setProperty(UsbBackends.BACKEND_PROPERTY, old);
            }
        }
    }

    @Test
    void closingTheBackendIsIdempotent() throws Exception {
        UsbBackend b = UsbBackends.open(BackendChoice.JNA, loaders(working(jnaLoads, jnaBus),
                working(usb4javaLoads, usb4javaBus)), env);
        b.close();
        b.close();
        assertEquals(1, jnaBus.closeCalls);
        assertThrows(IllegalStateException.class, b::listDfuDevices);
    }
}
