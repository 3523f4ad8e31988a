package dev.continuity.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The three official documents, read from the directory named by the system property
 * {@code continuity.specs.dir} (Maven property of the same name; default {@code ../shared/reference/specs}
 * beside the repository). A missing directory or file fails the suite: it is never skipped.
 *
 * @param preview the Foundry data-plane document, api-version {@code 2025-11-15-preview} (Swagger 2.0)
 * @param v1 the Foundry data-plane document, api-version {@code v1} (Swagger 2.0)
 * @param openai OpenAI's OpenAPI 3.1 document
 * @param directory where they were read from
 */
record Specs(SpecDocument preview, SpecDocument v1, SpecDocument openai, Path directory) {

    /** The system property (and Maven property) naming the directory. */
    static final String PROPERTY = "continuity.specs.dir";
    static final String PREVIEW = "foundry-2025-11-15-preview.json";
    static final String V1 = "foundry-v1.json";
    static final String OPENAI = "openai-openapi.yaml";

    private static Specs loaded;

    /** Reads the documents once per JVM. */
    static synchronized Specs load() {
        if (loaded == null) {
            String root = System.getProperty("continuity.build.root");
            loaded = read(System.getProperty(PROPERTY), root == null ? Path.of("") : Path.of(root));
        }
        return loaded;
    }

    /**
     * Reads the documents from a directory (a relative name is taken from {@code base}, the directory mvn ran in);
     * the failure names the directory and how to point at another copy.
     */
    static Specs read(String directoryName, Path base) {
        String how = "Point the suite at a copy of the specification documents with "
                + "'mvn -Pconformance verify -pl continuity-conformance -am -D" + PROPERTY + "=/path/to/specs' "
                + "(the directory must hold " + PREVIEW + ", " + V1 + " and " + OPENAI + "; see docs/emulator.md, "
                + "'Conformance suite').";
        if (directoryName == null || directoryName.isBlank()) {
            throw new IllegalStateException("The system property " + PROPERTY + " is not set. " + how);
        }
        Path directory = base.resolve(directoryName).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("The specification directory " + directory + " (" + PROPERTY
                    + ") does not exist. " + how);
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of(PREVIEW, V1, OPENAI)) {
            if (!Files.isRegularFile(directory.resolve(name))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The specification directory " + directory + " (" + PROPERTY
                    + ") lacks " + String.join(", ", missing) + ". " + how);
        }
        return new Specs(SpecDocument.read(directory.resolve(PREVIEW)), SpecDocument.read(directory.resolve(V1)),
                SpecDocument.read(directory.resolve(OPENAI)), directory);
    }
}
