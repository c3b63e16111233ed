package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.DeviceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One exception root per module (issue 10): every checked exception dfu-api and dfu-libusb export is a
 * {@link DeviceException}; dfu-formats' is FirmwareFormatException and dfu-stm32's OptionByteFormatException.
 * Unchecked ones (a bad argument, a replay that does not match) are programming errors and stay outside.
 */
class ExceptionRootsTest {
    /** Public exception classes in the packages a module exports to everyone. */
    static List<Class<?>> exportedExceptions(String module) throws Exception {
        List<Class<?>> out = new ArrayList<>();
        for (Path f : PublicJavadocTest.exportedSources(module)) {
            String file = f.getFileName().toString();
            if (file.endsWith("Exception.java")) {
                String pkg = DocsCommandsTest.ROOT.resolve(module).resolve("src/main/java").relativize(f.getParent())
                        .toString().replace('\\', '/').replace('/', '.');
                Class<?> c = Class.forName(pkg + "." + file.replace(".java", ""));
                if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    static List<String> checkedOutside(List<Class<?>> types, Class<?> root) {
        return types.stream().filter(c -> !RuntimeException.class.isAssignableFrom(c) && !root.isAssignableFrom(c))
                .map(Class::getName).toList();
    }

    @Test
    void everyCheckedExceptionOfTheDeviceModulesIsADeviceException() throws Exception {
        List<Class<?>> api = exportedExceptions("dfu-api");
        List<Class<?>> libusb = exportedExceptions("dfu-libusb");
        assertTrue(api.size() >= 7 && !libusb.isEmpty(), "the scan found the modules' exceptions: " + api + libusb);
        assertEquals(List.of(), checkedOutside(api, DeviceException.class));
        assertEquals(List.of(), checkedOutside(libusb, DeviceException.class));
    }

    @Test
    void theFileAndOptionByteModulesHaveOneRootEach() throws Exception {
        assertEquals(List.of(), checkedOutside(exportedExceptions("dfu-formats"),
                io.github.dfu4j.formats.FirmwareFormatException.class));
        assertEquals(List.of(), checkedOutside(exportedExceptions("dfu-stm32"),
                io.github.dfu4j.stm32.optionbytes.OptionByteFormatException.class));
    }

    @Test
    void theCheckSeesACheckedExceptionOutsideTheRoot() {
        assertEquals(List.of(IOException.class.getName()), checkedOutside(List.of(IOException.class, IllegalStateException.class),
                DeviceException.class));
    }
}
