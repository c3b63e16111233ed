package io.github.dfu4j.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library jars' manifests (bnd-maven-plugin, bnd.bnd in each module): OSGi bundle headers whose
 * Export-Package is exactly the module's exported packages (read from the jar's own module-info.class),
 * Import-Package versioned for dfu4j, SLF4J and JNA, usb4java imported optionally, and
 * Implementation-Title/-Version. The jars are the reactor's packaged ones: these tests run after package.
 */
class OsgiManifestTest {
    private static final String VERSION = System.getProperty("dfu4j.version");

    /** One class of each library module, to find its jar on the test class path. */
    private static Path jarOf(String className) throws Exception {
        Class<?> c = Class.forName(className);
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    record Bundle(Path location, Manifest manifest, ModuleDescriptor module) {
        String header(String name) {
            return manifest.getMainAttributes().getValue(name);
        }
    }

    private static Bundle read(String className) throws Exception {
        Path location = jarOf(className);
        assertTrue(Files.isRegularFile(location), className + " comes from " + location
                + ", not a jar: run the tests after 'package' (mvn verify)");
        try (JarFile jar = new JarFile(location.toFile())) {
            Manifest mf = jar.getManifest();
            assertNotNull(mf, "no manifest in " + location);
            try (InputStream in = jar.getInputStream(jar.getJarEntry("module-info.class"))) {
                return new Bundle(location, mf, ModuleDescriptor.read(in));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.github.dfu4j.formats.FirmwareFiles", "io.github.dfu4j.transport.DfuTransport",
            "io.github.dfu4j.stm32.Identification", "io.github.dfu4j.libusb.UsbBackends"})
    void bundleHeadersMatchTheModuleDescriptor(String className) throws Exception {
        Bundle b = read(className);
        assertEquals("2", b.header("Bundle-ManifestVersion"), b.location().toString());
        assertEquals(b.module().name(), b.header("Bundle-SymbolicName"), "symbolic name = JPMS module name");
        assertEquals(VERSION.replace("-SNAPSHOT", ".SNAPSHOT"), b.header("Bundle-Version"));
        assertTrue(b.header("Bundle-License").startsWith("\"Apache-2.0\""), b.header("Bundle-License"));
        assertEquals(VERSION, b.header("Implementation-Version"));
        assertEquals(b.location().getFileName().toString(), b.header("Implementation-Title") + "-" + VERSION + ".jar");

        Set<String> exported = b.module().exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, String> exports = clauses(b.header("Export-Package"));
        assertEquals(exported, new TreeSet<>(exports.keySet()), "Export-Package = module-info exports");
        // OSGi has no qualified exports: a package module-info exports only to other dfu4j modules is x-internal
        for (ModuleDescriptor.Exports e : b.module().exports()) {
            assertEquals(e.isQualified(), exports.get(e.source()).contains("x-internal:=true"),
                    e.source() + " x-internal exactly when module-info exports it to named modules only: " + exports.get(e.source()));
        }
        String packageVersion = VERSION.replace("-SNAPSHOT", "");
        exports.forEach((pkg, attrs) -> assertTrue(attrs.contains("version=\"" + packageVersion + "\""),
                pkg + " exported with version " + packageVersion + ": " + attrs));

        Set<String> internal = new TreeSet<>(b.module().packages());
        internal.removeAll(exported);
        Map<String, String> imports = clauses(b.header("Import-Package"));
        for (String pkg : internal) {
            assertFalse(exports.containsKey(pkg) || imports.containsKey(pkg), pkg + " is internal");
        }
        imports.forEach((pkg, attrs) -> {
            if (pkg.startsWith("io.github.dfu4j.") || pkg.startsWith("org.slf4j") || pkg.startsWith("com.sun.jna")) {
                assertTrue(attrs.contains("version=\"["), pkg + " imported with a version range: " + attrs);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.github.dfu4j.libusb.UsbBackends"})
    void usb4javaIsAnOptionalImportLikeTheStaticRequires(String className) throws Exception {
        Bundle b = read(className);
        Map<String, String> imports = clauses(b.header("Import-Package"));
        assertTrue(imports.get("org.usb4java").contains("resolution:=optional"), imports.toString());
        assertTrue(imports.containsKey("com.sun.jna"), imports.toString());
        assertTrue(b.module().requires().stream().anyMatch(r -> r.name().equals("usb4java")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), "requires static usb4java");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.github.dfu4j.formats.FirmwareFiles", "io.github.dfu4j.transport.DfuTransport"})
    void dependentModulesImportWhatTheyUse(String className) throws Exception {
        Bundle b = read(className);
        Map<String, String> imports = clauses(b.header("Import-Package"));
        Set<String> own = clauses(b.header("Export-Package")).keySet();
        // bnd also imports a bundle's own exports (substitutable exports); other dfu4j packages are dependencies
        Set<String> foreign = imports.keySet().stream().filter(p -> p.startsWith("io.github.dfu4j.") && !own.contains(p))
                .collect(Collectors.toCollection(TreeSet::new));
        if (className.startsWith("io.github.dfu4j.transport")) {
            assertEquals(Set.of("io.github.dfu4j.formats"), foreign, "dfu-api uses dfu-formats' main package only");
            assertTrue(imports.containsKey("org.slf4j"), imports.toString());
        } else {
            assertEquals(Set.of(), foreign, "dfu-formats depends on no other dfu4j module");
            assertFalse(imports.containsKey("org.slf4j"), "dfu-formats does not log: " + imports);
        }
    }

    /** An OSGi header as package -> attributes; commas inside quotes do not separate clauses. */
    static Map<String, String> clauses(String header) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        for (String part : parts) {
            int semi = part.indexOf(';');
            out.put((semi < 0 ? part : part.substring(0, semi)).strip(), semi < 0 ? "" : part.substring(semi + 1));
        }
        return out;
    }
}
