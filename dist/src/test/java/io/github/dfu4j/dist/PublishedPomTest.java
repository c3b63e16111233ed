package io.github.dfu4j.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Maven Central requires of every published POM (name, description, url, licenses, developers, scm;
 * the library modules inherit the last four from the parent, the BOM has no parent and repeats them), and
 * that every module that is not published says so (maven.deploy.skip, skipPublishing) and is in the
 * central-publishing plugin's excludeArtifacts. Reads the POM files of the checkout.
 */
class PublishedPomTest {
    private static final Path ROOT = Path.of(System.getProperty("dfu4j.root", "..")).toAbsolutePath().normalize();
    private static final List<String> PUBLISHED = List.of("dfu-formats", "dfu-testkit", "dfu-api", "dfu-stm32", "dfu-libusb");
    private static final List<String> UNPUBLISHED = List.of("dfu-cli", "dfu-cli-picocli", "examples", "benchmarks", "usbvm", "dist");

    private static Element pom(String dir) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(ROOT.resolve(dir).resolve("pom.xml").toFile()).getDocumentElement();
    }

    private static String child(Element e, String... path) {
        Element cur = e;
        for (String name : path) {
            Element next = null;
            for (Node n = cur.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c && c.getTagName().equals(name)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return "";
            }
            cur = next;
        }
        return cur.getTextContent().strip();
    }

    private static void assertCentralMetadata(Element pom, String what) {
        assertEquals("https://github.com/dfu4j/dfu4j", child(pom, "url"), what + " url");
        assertEquals("Apache-2.0", child(pom, "licenses", "license", "name"), what + " licence");
        assertEquals("https://www.apache.org/licenses/LICENSE-2.0.txt", child(pom, "licenses", "license", "url"), what);
        assertFalse(child(pom, "developers", "developer", "name").isEmpty(), what + " developers");
        assertEquals("scm:git:https://github.com/dfu4j/dfu4j.git", child(pom, "scm", "connection"), what + " scm");
        assertEquals("https://github.com/dfu4j/dfu4j", child(pom, "scm", "url"), what + " scm url");
    }

    @Test
    void parentAndBomCarryTheCentralMetadata() throws Exception {
        Element parent = pom(".");
        assertCentralMetadata(parent, "parent pom");
        assertEquals("false", parent.getAttribute("child.project.url.inherit.append.path"), "children keep the same url");
        Element bom = pom("dfu-bom");
        assertEquals("", child(bom, "parent", "artifactId"), "the BOM has no parent");
        assertCentralMetadata(bom, "dfu-bom");
        assertFalse(child(bom, "description").isEmpty(), "dfu-bom description");
    }

    @Test
    void libraryModulesHaveANameADescriptionAndThePublishedParent() throws Exception {
        for (String m : PUBLISHED) {
            Element pom = pom(m);
            assertEquals("dfu4j-parent", child(pom, "parent", "artifactId"), m);
            assertFalse(child(pom, "name").isEmpty(), m + " name");
            assertFalse(child(pom, "description").isEmpty(), m + " description");
            assertEquals("", child(pom, "properties", "maven.deploy.skip"), m + " is published");
            assertEquals("", child(pom, "properties", "skipPublishing"), m + " is published");
        }
    }

    @Test
    void unpublishedModulesAreNeverDeployed() throws Exception {
        Set<String> artifactIds = new TreeSet<>();
        for (String m : UNPUBLISHED) {
            Element pom = pom(m);
            assertEquals("true", child(pom, "properties", "maven.deploy.skip"), m);
            assertEquals("true", child(pom, "properties", "skipPublishing"), m);
            artifactIds.add(child(pom, "artifactId"));
        }
        NodeList excluded = pom(".").getElementsByTagName("excludeArtifacts");
        assertEquals(1, excluded.getLength(), "one excludeArtifacts list in the parent's release profile");
        List<String> listed = new ArrayList<>();
        NodeList items = ((Element) excluded.item(0)).getElementsByTagName("artifact");
        for (int i = 0; i < items.getLength(); i++) {
            listed.add(items.item(i).getTextContent().strip());
        }
        assertEquals(artifactIds, new TreeSet<>(listed));
        // every module of the reactor is either published or listed here
        Set<String> modules = new TreeSet<>();
        NodeList ms = pom(".").getElementsByTagName("module");
        for (int i = 0; i < ms.getLength(); i++) {
            modules.add(ms.item(i).getTextContent().strip());
        }
        Set<String> known = new TreeSet<>(PUBLISHED);
        known.addAll(UNPUBLISHED);
        known.add("dfu-bom");
        assertEquals(known, modules, "a new module must be classified as published or not here");
        assertTrue(modules.containsAll(UNPUBLISHED));
    }
}
