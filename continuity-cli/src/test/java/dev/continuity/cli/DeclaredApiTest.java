package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The modules' declared APIs, checked over the whole repository's sources (this module is the top of the
 * reactor): no file uses another module's {@code internal} packages, the CLI's only public class is its entry
 * point, and every published module names its automatic module.
 */
class DeclaredApiTest {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;", Pattern.MULTILINE);
    /** A qualified name in code: lower-case segments (the package), then a type. */
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w$.])((?:[a-z_][\\w$]*\\s*\\.\\s*)+)[A-Z][\\w$]*");
    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("(?<![\\w$.])@?(class|interface|enum|record)\\s+([A-Za-z_$][\\w$]*)");

    private static Path root;
    private static List<String> modules;
    private static List<SourceFile> sources;

    /** A Java source of a module: its path, module, package and text without comments or literals. */
    record SourceFile(Path path, String module, String packageName, String code) {
    }

    @BeforeAll
    static void readTheRepository() throws IOException {
        root = repositoryRoot();
        modules = children(pom(root.resolve("pom.xml")).getDocumentElement(), "modules", "module");
        sources = new ArrayList<>();
        for (String module : modules) {
            for (String tree : List.of("src/main/java", "src/test/java")) {
                Path dir = root.resolve(module).resolve(tree);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                        String code = code(Files.readString(file));
                        Matcher declared = PACKAGE.matcher(code);
                        sources.add(new SourceFile(root.relativize(file), module,
                                declared.find() ? declared.group(1) : "", code));
                    }
                }
            }
        }
        // a guard that finds nothing to check would pass whatever the sources do
        assertThat(modules).contains("continuity-core", "continuity-cli");
        assertThat(sources).as("Java sources under %s", root).hasSizeGreaterThan(100);
    }

    @Test
    void noFileUsesAnotherModulesInternalPackages() {
        Map<String, Set<String>> owners = packageOwners(sources);
        List<String> violations = new ArrayList<>();
        for (SourceFile file : sources) {
            for (Use use : internalUses(file.code())) {
                Set<String> owning = owners.get(use.packageName());
                if (owning != null && !owning.contains(file.module())) {
                    violations.add(file.path() + ": " + use.what() + " (" + use.packageName() + " is internal to "
                            + String.join(", ", owning) + ")");
                }
            }
            Set<String> owning = owners.get(file.packageName());
            if (isInternal(file.packageName()) && owning != null && !owning.contains(file.module())) {
                violations.add(file.path() + ": package " + file.packageName() + " (internal to "
                        + String.join(", ", owning) + ")");
            }
        }
        assertThat(violations).as("uses of another module's internal packages").isEmpty();
    }

    @Test
    void theCommandLinesOnlyPublicClassIsItsEntryPoint() {
        List<String> publicTypes = new ArrayList<>();
        for (SourceFile file : sources) {
            if (file.module().equals("continuity-cli") && file.path().startsWith("continuity-cli/src/main/java")) {
                for (String type : publicTopLevelTypes(file.code())) {
                    publicTypes.add(file.packageName() + "." + type);
                }
            }
        }
        assertThat(publicTypes).containsExactly(Main.class.getName());
    }

    @Test
    void everyPublishedModuleNamesItsAutomaticModule() throws IOException {
        Document bom = pom(root.resolve("continuity-bom/pom.xml"));
        List<String> published = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String artifact = text(dependency, "artifactId");
            if ("dev.continuity".equals(text(dependency, "groupId")) && modules.contains(artifact)) {
                published.add(artifact);
            }
        }
        assertThat(published).as("modules the BOM publishes").contains("continuity-core", "continuity-cosmos");
        Map<String, String> names = new LinkedHashMap<>();
        for (String module : published) {
            Element properties = child(pom(root.resolve(module).resolve("pom.xml")).getDocumentElement(), "properties");
            names.put(module, properties == null ? null : text(properties, "automatic.module.name"));
        }
        assertThat(names).as("automatic.module.name of each published module (the jar's Automatic-Module-Name)")
                .allSatisfy((module, name) -> assertThat(name).as(module).isNotBlank()
                        .isNotEqualTo("dev.continuity.unnamed").startsWith("dev.continuity.")
                        .matches(n -> SourceVersion.isName(n), "a module name"));
        assertThat(new TreeSet<>(names.values())).as("distinct module names").hasSameSizeAs(names.values());
    }

    @Test
    void theScannerSeesImportsAndQualifiedNamesButNotCommentsOrLiterals() {
        String source = """
                package dev.continuity.sample;

                import dev.continuity.a.internal.Hidden;
                import static dev.continuity.b.internal.deep.Tools.help;
                import dev.continuity.c.internal.*;
                import dev.continuity.d.Public;

                /** See {@link dev.continuity.e.internal.Doc}. */
                public final class Sample { // dev.continuity.f.internal.Line
                    String s = "dev.continuity.g.internal.Text";
                    char c = '"';
                    Object o = dev.continuity.h.internal . Used.make();
                    public static final class Nested {
                    }
                }
                record Other() {
                }
                @Retention(RetentionPolicy.RUNTIME)
                public @interface Marker {
                }
                """;
        assertThat(internalUses(code(source))).extracting(Use::packageName).containsExactly(
                "dev.continuity.a.internal", "dev.continuity.b.internal.deep", "dev.continuity.c.internal",
                "dev.continuity.h.internal");
        assertThat(publicTopLevelTypes(code(source))).containsExactly("Sample", "Marker");
    }

    /** An internal package a file imports or names. */
    record Use(String packageName, String what) {
    }

    private static List<Use> internalUses(String code) {
        List<Use> uses = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            Matcher imported = IMPORT.matcher(line);
            if (imported.find()) {
                String name = imported.group(2);
                String packageName = imported.group(3) != null && imported.group(1) == null ? name : packageOf(name);
                if (isInternal(packageName)) {
                    uses.add(new Use(packageName, "import " + (imported.group(1) == null ? "" : "static ") + name
                            + (imported.group(3) == null ? "" : ".*")));
                }
            } else if (!PACKAGE.matcher(line).find()) {
                rest.append(line).append('\n');
            }
        }
        Matcher qualified = QUALIFIED.matcher(rest);
        while (qualified.find()) {
            String packageName = qualified.group(1).replaceAll("\\s", "");
            packageName = packageName.substring(0, packageName.length() - 1);
            if (isInternal(packageName)) {
                uses.add(new Use(packageName, "uses " + qualified.group().replaceAll("\\s", "")));
            }
        }
        return uses;
    }

    private static boolean isInternal(String packageName) {
        return List.of(packageName.split("\\.")).contains("internal");
    }

    /** The package of a qualified name: its segments up to the first that starts with an upper-case letter. */
    private static String packageOf(String name) {
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("\\.")) {
            if (!segment.isEmpty() && Character.isUpperCase(segment.charAt(0))) {
                break;
            }
            segments.add(segment);
        }
        return String.join(".", segments);
    }

    /** Which modules' sources declare each package (main sources first: a test may share a main package). */
    private static Map<String, Set<String>> packageOwners(List<SourceFile> files) {
        Map<String, Set<String>> main = new HashMap<>();
        Map<String, Set<String>> any = new HashMap<>();
        for (SourceFile file : files) {
            if (file.path().toString().contains("/src/main/java/")) {
                main.computeIfAbsent(file.packageName(), p -> new TreeSet<>()).add(file.module());
            }
            any.computeIfAbsent(file.packageName(), p -> new TreeSet<>()).add(file.module());
        }
        Map<String, Set<String>> owners = new TreeMap<>(any);
        owners.putAll(main);
        return owners;
    }

    /** The public types declared at the top level of a source (nested types are not looked at). */
    private static List<String> publicTopLevelTypes(String code) {
        StringBuilder topLevel = new StringBuilder();
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{') {
                if (depth++ == 0) {
                    topLevel.append("{");
                }
            } else if (c == '}') {
                if (--depth == 0) {
                    topLevel.append("}");
                }
            } else if (depth == 0) {
                topLevel.append(c);
            }
        }
        List<String> types = new ArrayList<>();
        for (String header : topLevel.toString().split("[;{}]")) {
            Matcher declaration = TYPE_DECLARATION.matcher(header);
            if (declaration.find() && Pattern.compile("(?<![\\w$])public(?![\\w$])")
                    .matcher(header.substring(0, declaration.start())).find()) {
                types.add(declaration.group(2));
            }
        }
        return types;
    }

    /** The source with comments, string, text block and character literals blanked (line breaks kept). */
    static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, out);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !source.startsWith("\"\"\"", end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 3);
                out.append("\"\"");
                blank(source, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                out.append(c).append(c);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String source, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            if (source.charAt(i) == '\n') {
                out.append('\n');
            }
        }
        out.append(' ');
    }

    /** The repository root: the nearest directory up from here whose pom is continuity-parent. */
    private static Path repositoryRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom)
                    && "continuity-parent".equals(text(pom(pom).getDocumentElement(), "artifactId"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no continuity-parent pom.xml above " + Path.of("").toAbsolutePath());
    }

    private static Document pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The first child element named {@code name}, or null. */
    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element child = child(parent, name);
        return child == null ? null : child.getTextContent().trim();
    }

    private static List<String> children(Element parent, String container, String name) {
        List<String> values = new ArrayList<>();
        Element list = child(parent, container);
        for (Node node = list == null ? null : list.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                values.add(element.getTextContent().trim());
            }
        }
        return values;
    }
}
