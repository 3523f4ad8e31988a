package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official {@code @azure/ai-projects} 2.x JavaScript SDK, pointed at the emulator with its defaults, works
 * unchanged: {@code src/test/js/agents-main-path.mjs} is the SDK's README main path written as an application
 * writes it ({@code new AIProjectClient(endpoint, credential)}, {@code project.getOpenAIClient()} on
 * {@code {endpoint}/openai/v1/...}, a plain model response continued by {@code previous_response_id} (the README's
 * first example), a background response polled to its end, agents, conversations, responses with an agent
 * reference, items, a function-call round, file search, clean-up), and each step asserts what it got back.
 *
 * <p>The JavaScript project is installed from its committed {@code package-lock.json} with {@code npm ci} into
 * {@code target/js-sdk-check} (the build directory; never into the source tree), and runs over https: the SDK's bearer-token policy
 * sends tokens over TLS only, so the emulator serves https with the certificate it generates at start, handed to
 * Node through {@code NODE_EXTRA_CA_CERTS}. Node.js 20+ and npm must be on the {@code PATH}; without them this
 * test fails saying so (it never skips).
 */
class JsSdkAgainstEmulatorTest {

    private static final Path SOURCE = Path.of("src", "test", "js");
    /** Under the module's build directory ({@code target}, or {@code -Dbuild.dir.name}'s, so side-by-side builds never share it). */
    private static final Path WORK = buildDirectory().resolve("js-sdk-check");
    private static final String SCRIPT = "agents-main-path.mjs";
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    @Test
    void theAzureAiProjectsSdkRunsItsMainPathUnchangedAgainstTheHttpsEmulator() throws Exception {
        String node = requireTool("node");
        String npm = requireTool(WINDOWS ? "npm.cmd" : "npm");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", SCRIPT)) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = run(List.of(npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"), Map.of());
        assertThat(install.exitCode())
                .as("npm ci in %s (from the committed package-lock.json) failed:%n%s", WORK.toAbsolutePath(), install.output())
                .isZero();

        try (Emulator emulator = Emulator.builder().region("eastus2").https(true).start()) {
            EmulatorRegion region = emulator.region("eastus2");
            Path certificate = WORK.resolve("emulator-ca.pem");
            Files.writeString(certificate, emulator.certificatePem(), StandardCharsets.US_ASCII);

            Result script = run(List.of(node, SCRIPT), Map.of(
                    "FOUNDRY_PROJECT_ENDPOINT", region.projectEndpoint(),
                    "NODE_EXTRA_CA_CERTS", certificate.toAbsolutePath().toString()));

            assertThat(script.exitCode()).as("node %s against %s failed:%n%s", SCRIPT, region.projectEndpoint(), script.output())
                    .isZero();
            assertThat(script.output()).contains("{\"ok\":true,");
            // the requests really went through the emulator, on both families the SDK uses
            Map<String, Long> counts = region.operationCounts();
            assertThat(counts.get("agents.versions.create")).isEqualTo(3);
            assertThat(counts.get("responses.create")).isEqualTo(9);
            assertThat(counts.get("responses.get")).as("one retrieve, two polls of the background response").isEqualTo(3);
            assertThat(counts.get("conversations.create")).isEqualTo(2);
            assertThat(counts.get("vector_stores.files.create")).isEqualTo(1);
            assertThat(region.conversationCount()).isZero();
        }
    }

    /** The directory holding this test's compiled classes ({@code <build directory>/test-classes}), one up. */
    private static Path buildDirectory() {
        try {
            return Path.of(JsSdkAgainstEmulatorTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the build directory", e);
        }
    }

    /** The tool's path on the PATH, or a failure naming what is missing and why it is needed. */
    private static String requireTool(String name) {
        try {
            Process process = new ProcessBuilder(name, "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() == 0) {
                return name;
            }
            return fail("'%s --version' exited with %d (%s): this test needs Node.js 20+ and npm on the PATH to run the "
                    + "official @azure/ai-projects JavaScript SDK against the emulator", name, process.exitValue(), version);
        } catch (IOException | InterruptedException e) {
            return fail("'%s' is not on the PATH (%s): this test needs Node.js 20+ and npm to run the official "
                    + "@azure/ai-projects JavaScript SDK against the emulator; install them (https://nodejs.org)", name, e.getMessage());
        }
    }

    private static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(WORK.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(WORK.toAbsolutePath(), "process-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        // a guard against a hung process, not a timed assertion: npm ci and the script take seconds
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after 10 minutes: " + command + "\n" + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private record Result(int exitCode, String output) {
    }
}
