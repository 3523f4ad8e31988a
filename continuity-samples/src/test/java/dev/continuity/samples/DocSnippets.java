package dev.continuity.samples;

import dev.continuity.testsupport.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code a document shows, as a sample holds it: the text between each {@code // [snippet NAME]} and
 * {@code // [end]} of a source file, without the indentation its lines share (the doc's code block shows it so).
 */
final class DocSnippets {

    private static final Pattern SNIPPET = Pattern.compile("// \\[snippet ([a-z-]+)]\\n(.*?)\\n\\s*// \\[end]",
            Pattern.DOTALL);

    private DocSnippets() {
    }

    /** The snippets of the sample class {@code name} (in continuity-samples) by name, in order, unindented. */
    static Map<String, String> ofSample(String name) throws IOException {
        return of(Files.readString(RepositoryFiles.find(
                "continuity-samples/src/main/java/dev/continuity/samples/" + name + ".java")));
    }

    /** The snippets of {@code source} by name, in order, unindented. */
    static Map<String, String> of(String source) {
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher matcher = SNIPPET.matcher(source);
        while (matcher.find()) {
            snippets.put(matcher.group(1), unindent(matcher.group(2)));
        }
        return snippets;
    }

    /** The lines without the indentation they share. */
    private static String unindent(String block) {
        List<String> lines = block.lines().toList();
        int common = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(common)).toList());
    }
}
