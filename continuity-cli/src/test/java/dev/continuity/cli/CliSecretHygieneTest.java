package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.testsupport.EmulatedTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI takes no secret on its command line, echoes none in its errors, and {@code validate} refuses a
 * topology that would send a token over plain http off loopback, before any token is fetched.
 */
@Tag("adversarial")
class CliSecretHygieneTest {

    private static final String SECRET = "Pa55w0rdXYZ";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    private static String machineAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        return InetAddress.getLocalHost().getHostAddress();
    }

    private Path topology(String primaryEndpoint) throws IOException {
        return Files.writeString(dir.resolve("topology.json"), "{\"regions\":{"
                + "\"eastus2\":{\"role\":\"primary\",\"project_endpoint\":\"" + primaryEndpoint + "\","
                + "\"models\":{\"gpt-4.1-mini\":\"m\",\"gpt-4o-mini\":\"m\"}},"
                + "\"centralus\":{\"role\":\"secondary\",\"project_endpoint\":\"http://127.0.0.1:8701/api/projects/c\","
                + "\"models\":{\"gpt-4.1-mini\":\"m\",\"gpt-4o-mini\":\"m\"}}}}");
    }

    @Test
    void validateRefusesAPlainHttpEndpointOffLoopbackNamingRegionAndEndpoint() throws Exception {
        String endpoint = "http://" + machineAddress() + ":8700/api/projects/e";

        int code = run("validate", EmulatedTopology.shippedAgents().toString(), "--topology",
                topology(endpoint).toString());

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("/regions/eastus2/project_endpoint").contains("region 'eastus2'")
                .contains(endpoint).contains("cannot receive a credential");
    }

    @Test
    void validateNeverEchoesAPasswordOrKeyOfAnEndpoint() throws Exception {
        for (String endpoint : new String[] {
                "https://admin:" + SECRET + "@e.services.ai.azure.com/api/projects/p",
                "https://e.services.ai.azure.com/api/projects/p?api-key=" + SECRET,
                "ftp://admin:" + SECRET + "@e.services.ai.azure.com/p",
                "https://admin:" + SECRET + "/x@e.services.ai.azure.com/p"}) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);

            int code = run("validate", EmulatedTopology.shippedAgents().toString(), "--topology",
                    topology(endpoint).toString());

            assertThat(code).as(endpoint).isEqualTo(ExitCodes.INVALID);
            assertThat(err.toString()).as(endpoint).contains("/regions/eastus2/project_endpoint")
                    .doesNotContain(SECRET);
            assertThat(out.toString()).as(endpoint).doesNotContain(SECRET);
        }
    }

    @Test
    void theCosmosKeyIsRefusedOnTheCommandLineAndNotEchoed() {
        for (String[] args : new String[][] {
                {"drill", "--store", "cosmos", "--cosmos-endpoint", "https://127.0.0.1:1/",
                        "--cosmos-key", SECRET},
                {"drill", "--cosmos-key=" + SECRET},
                {"drill", "--store", "cosmos", "--cosmos-key"}}) {
            err.getBuffer().setLength(0);

            int code = run(args);

            // a usage error: nothing was done, and the help's exit code 2 says so
            assertThat(code).as(String.join(" ", args)).isEqualTo(ExitCodes.INVALID);
            assertThat(err.toString()).as(String.join(" ", args)).contains("--cosmos-key is not accepted")
                    .contains("CONTINUITY_COSMOS_KEY").contains("DefaultAzureCredential").doesNotContain(SECRET);
        }
    }

    @Test
    void aSecretInTheCosmosEndpointIsRefusedAndNotEchoed() {
        for (String endpoint : new String[] {"https://admin:" + SECRET + "@127.0.0.1:1/",
                "https://127.0.0.1:1/?key=" + SECRET}) {
            err.getBuffer().setLength(0);

            int code = run("drill", "--store", "cosmos", "--cosmos-endpoint", endpoint);

            assertThat(code).as(endpoint).isEqualTo(ExitCodes.INVALID);
            assertThat(err.toString()).as(endpoint).contains("--cosmos-endpoint is refused")
                    .contains("CONTINUITY_COSMOS_KEY").doesNotContain(SECRET);
        }
    }

    @Test
    void theDrillRefusesACosmosEndpointOverPlainHttpOffLoopback() throws Exception {
        String address = machineAddress();

        int code = run("drill", "--store", "cosmos", "--cosmos-endpoint", "http://" + address + ":8081/");

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("refusing to send a credential to http://" + address + ":8081/")
                .contains("not loopback");
    }

    @Test
    void theHelpNoLongerOffersTheKeyOption() {
        run("drill", "--help");

        assertThat(out.toString()).contains("--cosmos-endpoint").contains("CONTINUITY_COSMOS_KEY")
                .doesNotContain("--cosmos-key");
    }
}
