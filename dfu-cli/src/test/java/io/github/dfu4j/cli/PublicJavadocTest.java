package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.ParamTree;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import jdk.javadoc.doclet.Doclet;
import jdk.javadoc.doclet.DocletEnvironment;
import jdk.javadoc.doclet.Reporter;
import org.junit.jupiter.api.Test;

/**
 * Every public and protected element of the library modules' exported packages has a javadoc comment.
 * The JDK's doclint cannot check that without also demanding every {@code @param}/{@code @return} tag
 * (its "missing" group is both), so this runs javadoc with a small doclet that reports only the missing
 * comments. Implicit members (enum {@code values()}, default constructors, a record's {@code equals},
 * {@code hashCode} and {@code toString}) and a record's canonical constructor (documented by the record's
 * {@code @param}s) need none. A record's implicit accessor counts as documented when the record's comment has
 * a non-empty {@code @param} for its component, from which the standard doclet writes the accessor's page.
 * JDK 17's {@code Elements.getOrigin} calls those implicit record members EXPLICIT, so members with no source
 * tree are told apart here.
 *
 * <p>A ratchet while the backlog is written: {@code javadoc-missing-baseline.txt} lists the elements that had
 * no comment when this test was added. An element missing from it fails the test (new public API comes
 * with its javadoc), and so does a baseline entry that has a comment now or no longer exists (remove it,
 * so the list only shrinks; {@code -Ddfu4j.javadoc.baseline.update=true} rewrites it). When it is empty the
 * release profile's doclint can demand every comment.
 */
class PublicJavadocTest {
    private static final List<String> LIBRARY_MODULES = List.of("dfu-formats", "dfu-testkit", "dfu-api", "dfu-stm32", "dfu-libusb");
    private static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** Collects the public/protected elements without a doc comment. */
    public static final class MissingComments implements Doclet {
        static final List<String> MISSING = new ArrayList<>();

        @Override
        public void init(Locale locale, Reporter reporter) {
        }

        @Override
        public String getName() {
            return "missing-comments";
        }

        @Override
        public Set<? extends Option> getSupportedOptions() {
            return Set.of();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latest();
        }

        @Override
        public boolean run(DocletEnvironment env) {
            Elements elements = env.getElementUtils();
            for (TypeElement type : ElementFilter.typesIn(env.getIncludedElements())) {
                if (!visible(type)) {
                    continue;
                }
                check(env, elements, type);
                for (Element member : type.getEnclosedElements()) {
                    if (member instanceof TypeElement || !visible(member)) {
                        continue; // nested types are checked as included types
                    }
                    ElementKind k = member.getKind();
                    if (k == ElementKind.METHOD || k == ElementKind.CONSTRUCTOR || k == ElementKind.FIELD
                            || k == ElementKind.ENUM_CONSTANT) {
                        if (!canonicalRecordConstructor(type, member) && !enumMethod(type, member)) {
                            check(env, elements, member);
                        }
                    }
                }
            }
            return true;
        }

        private static boolean visible(Element e) {
            Set<Modifier> m = e.getModifiers();
            boolean inInterface = e.getEnclosingElement() != null && e.getEnclosingElement().getKind().isInterface();
            return m.contains(Modifier.PUBLIC) || m.contains(Modifier.PROTECTED)
                    || (inInterface && !m.contains(Modifier.PRIVATE));
        }

        /** values() and valueOf(String) of an enum, which the compiler declares. */
        private static boolean enumMethod(TypeElement type, Element member) {
            if (type.getKind() != ElementKind.ENUM || member.getKind() != ElementKind.METHOD) {
                return false;
            }
            String n = member.getSimpleName().toString();
            int params = ((ExecutableElement) member).getParameters().size();
            return (n.equals("values") && params == 0) || (n.equals("valueOf") && params == 1);
        }

        private static boolean canonicalRecordConstructor(TypeElement type, Element member) {
            if (type.getKind() != ElementKind.RECORD || member.getKind() != ElementKind.CONSTRUCTOR) {
                return false;
            }
            List<? extends RecordComponentElement> components = type.getRecordComponents();
            List<String> params = ((ExecutableElement) member).getParameters().stream().map(p -> p.asType().toString()).toList();
            return params.equals(components.stream().map(c -> c.asType().toString()).toList());
        }

        private static void check(DocletEnvironment env, Elements elements, Element e) {
            if (elements.getOrigin(e) != Elements.Origin.EXPLICIT) {
                return;
            }
            if (!(e instanceof TypeElement) && env.getDocTrees().getTree(e) == null) {
                // Not in the source: a record's implicit equals/hashCode/toString or accessor, which JDK 17's
                // getOrigin still calls EXPLICIT. The standard doclet documents the former from java.lang.Record
                // and an accessor from the record's @param for its component, which is what is checked here.
                if (implicitAccessorWithoutParam(env, (TypeElement) e.getEnclosingElement(), e)) {
                    MISSING.add(((TypeElement) e.getEnclosingElement()).getQualifiedName() + "#" + e);
                }
                return;
            }
            if (env.getDocTrees().getDocCommentTree(e) == null) {
                Element owner = e instanceof TypeElement ? e : e.getEnclosingElement();
                MISSING.add(((TypeElement) owner).getQualifiedName() + (e instanceof TypeElement ? "" : "#" + e));
            }
        }

        /** An implicit accessor of {@code record} whose component has no {@code @param} in the record's comment. */
        private static boolean implicitAccessorWithoutParam(DocletEnvironment env, TypeElement record, Element member) {
            if (record.getKind() != ElementKind.RECORD || member.getKind() != ElementKind.METHOD
                    || !((ExecutableElement) member).getParameters().isEmpty()) {
                return false;
            }
            String name = member.getSimpleName().toString();
            if (record.getRecordComponents().stream().noneMatch(c -> c.getSimpleName().contentEquals(name))) {
                return false; // equals/hashCode/toString
            }
            DocCommentTree doc = env.getDocTrees().getDocCommentTree(record);
            return doc == null || doc.getBlockTags().stream().noneMatch(t -> t instanceof ParamTree p
                    && !p.isTypeParameter() && p.getName().getName().contentEquals(name)
                    && !p.getDescription().isEmpty());
        }
    }

    /**
     * The source files (package-info.java excluded) of the packages {@code module}'s module-info exports to
     * everyone ({@code exports p;}, not {@code exports p to ...;}), in package order.
     */
    static List<Path> exportedSources(String module) throws IOException {
        Path src = DocsCommandsTest.ROOT.resolve(module).resolve("src/main/java");
        List<Path> sources = new ArrayList<>();
        Matcher m = EXPORTS.matcher(Files.readString(src.resolve("module-info.java")));
        while (m.find()) {
            try (Stream<Path> files = Files.list(src.resolve(m.group(1).replace('.', '/')))) {
                files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).sorted().forEach(sources::add);
            }
        }
        return sources;
    }

    @Test
    void everyExportedPublicElementHasAJavadocComment() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String module : LIBRARY_MODULES) {
            sources.addAll(exportedSources(module));
        }
        DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
        MissingComments.MISSING.clear();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager fm = tool.getStandardFileManager(null, Locale.ROOT, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(sources);
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-quiet");
            boolean ok = tool.getTask(log, fm, null, MissingComments.class, options, units).call();
            assertTrue(ok, "javadoc failed: " + log);
        }
        List<String> missing = MissingComments.MISSING.stream().sorted().distinct().toList();
        if (Boolean.getBoolean("dfu4j.javadoc.baseline.update")) { // rewrites the baseline instead of checking it
            Files.write(Path.of("src/test/resources/javadoc-missing-baseline.txt"), missing);
            return;
        }
        List<String> baseline;
        try (var in = PublicJavadocTest.class.getResourceAsStream("/javadoc-missing-baseline.txt")) {
            baseline = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
        }
        List<String> undocumentedNew = missing.stream().filter(e -> !baseline.contains(e)).toList();
        assertTrue(undocumentedNew.isEmpty(), undocumentedNew.size() + " exported public elements have no javadoc comment:\n  "
                + String.join("\n  ", undocumentedNew));
        List<String> stale = baseline.stream().filter(e -> !missing.contains(e)).toList();
        assertTrue(stale.isEmpty(), stale.size() + " entries of javadoc-missing-baseline.txt are documented or gone now;"
                + " remove them from the baseline:\n  " + String.join("\n  ", stale));
    }
}
