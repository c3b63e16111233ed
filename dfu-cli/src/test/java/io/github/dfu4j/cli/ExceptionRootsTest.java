package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.DeviceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One exception root per module (issue 10): every checked exception dfu-api and dfu-libusb export is a
 * {@link DeviceException}; dfu-formats' is FirmwareFormatException and dfu-stm32's OptionByteFormatException.
 * Unchecked ones (a bad argument, a replay that does not match) are programming errors and stay outside.
 */
class ExceptionRootsTest {
    static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** Public exception classes in the packages a module exports to everyone. */
    static List<Class<?>> exportedExceptions(String module) throws Exception {
        Path src = ReferenceCitationsTest.ROOT.resolve(module).resolve("src/main/java");
        List<Class<?>> out = new ArrayList<>();
        Matcher m = EXPORTS.matcher(Files.readString(src.resolve("module-info.java"), StandardCharsets.UTF_8));
        while (m.find()) {
            try (Stream<Path> files = Files.list(src.resolve(m.group(1).replace('.', '/')))) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith("Exception.java")).toList()) {
                    String name = f.getFileName().toString().replace(".java", "");
                    Class<?> c = Class.forName(m.group(1) + "." + name);
                    if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                        out.add(c);
                    }
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
