package dev.continuity.topology;

import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credential goes over plain http only to an address that is loopback, decided by the address a host
 * resolves to (never by its name), and topology validation refuses every other http endpoint before any
 * token is fetched.
 */
@Tag("adversarial")
class CredentialEndpointRuleTest {

    @TempDir
    Path dir;

    /** A non-loopback address of this machine (an interface address, else the host name's address). */
    static InetAddress machineAddress() throws SocketException, UnknownHostException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return InetAddress.getLocalHost();
    }

    /** Resolves the named hosts to fixed addresses (no DNS server is asked); everything else as the JVM does. */
    private static CredentialEndpointRule resolving(Map<String, InetAddress> names) {
        return CredentialEndpointRule.withResolver(host -> names.containsKey(host)
                ? new InetAddress[] {names.get(host)} : InetAddress.getAllByName(host));
    }

    @Test
    void httpsIsAllowedAndHttpOnlyToLoopbackAddresses() {
        CredentialEndpointRule rule = CredentialEndpointRule.system();

        assertThat(rule.allows("https://east.services.ai.azure.com/api/projects/p")).isTrue();
        assertThat(rule.allows("http://127.0.0.1:8700/api/projects/eastus2")).isTrue();
        assertThat(rule.allows("http://127.1.2.3:8700")).isTrue();
        assertThat(rule.allows("http://[::1]:8700/api/projects/p")).isTrue();
        assertThat(rule.allows("http://localhost:8700/api/projects/p")).isTrue();
        assertThat(rule.allows("HTTP://127.0.0.1:8700/api/projects/p")).isTrue();
        assertThat(rule.allows("HTTPS://east.services.ai.azure.com")).isTrue();
    }

    @Test
    void httpToThisMachinesNetworkAddressIsRefusedNamingTheAddress() throws Exception {
        String address = machineAddress().getHostAddress();
        assertThat(machineAddress().isLoopbackAddress()).as("this machine's address %s", address).isFalse();

        assertThat(CredentialEndpointRule.system().refusal("http://" + address + ":8700/api/projects/p"))
                .hasValueSatisfying(reason -> assertThat(reason).contains(address).contains("not loopback"));
        assertThat(CredentialEndpointRule.system().allows("HTTP://" + address + ":8700")).isFalse();
        assertThat(CredentialEndpointRule.system().allows("http://[fd00::2]:8700")).isFalse();
        assertThat(CredentialEndpointRule.system().allows("http://10.0.0.1:8700")).isFalse();
    }

    @Test
    void theNameDecidesNothingOnlyTheResolvedAddressDoes() throws Exception {
        InetAddress outside = machineAddress();
        CredentialEndpointRule rule = resolving(Map.of(
                "127.0.0.1.nip.io", outside,
                "localhost.attacker.example", outside,
                "emulator.internal", InetAddress.getByName("127.0.0.7")));

        // names that look local but resolve to a network address are refused ...
        assertThat(rule.refusal("http://127.0.0.1.nip.io:8700/api/projects/p"))
                .hasValueSatisfying(r -> assertThat(r).contains("'127.0.0.1.nip.io' resolves to "
                        + outside.getHostAddress()));
        assertThat(rule.allows("http://localhost.attacker.example:8700")).isFalse();
        // ... and a name that does not look local but resolves to loopback is allowed
        assertThat(rule.allows("http://emulator.internal:8700/api/projects/p")).isTrue();
    }

    @Test
    void theMachinesHostNameIsDecidedByWhatItResolvesTo() throws Exception {
        String hostName = InetAddress.getLocalHost().getHostName();
        boolean allLoopback = true;
        for (InetAddress a : InetAddress.getAllByName(hostName)) {
            allLoopback &= a.isLoopbackAddress();
        }

        assertThat(CredentialEndpointRule.system().allows("http://" + hostName + ":8700/api/projects/p"))
                .as("http://%s (resolves to loopback only: %s)", hostName, allLoopback).isEqualTo(allLoopback);
        assertThat(CredentialEndpointRule.system().allows("https://" + hostName + ":8700")).isTrue();
    }

    @Test
    void otherSchemesUnresolvableHostsAndNonUrlsAreRefused() {
        CredentialEndpointRule rule = CredentialEndpointRule.withResolver(host -> {
            throw new UnknownHostException(host);
        });

        assertThat(rule.refusal("http://nowhere.invalid:8700")).hasValueSatisfying(r ->
                assertThat(r).contains("does not resolve"));
        assertThat(rule.allows("ftp://127.0.0.1/x")).isFalse();
        assertThat(rule.allows("ws://127.0.0.1/x")).isFalse();
        assertThat(rule.allows("127.0.0.1:8700")).isFalse();
        assertThat(rule.allows("http:///path-only")).isFalse();
        assertThat(rule.allows("not a url")).isFalse();
        assertThat(rule.allows("")).isFalse();
        assertThat(rule.allows(null)).isFalse();
    }

    @Test
    void theErrorNamesTheEndpointAndRegionWithoutItsSecrets() throws Exception {
        String address = machineAddress().getHostAddress();
        String endpoint = "http://user:hunter2@" + address + ":8700/api/projects/p?api-key=s3cret";

        assertThatThrownBy(() -> CredentialEndpointRule.system().require(endpoint, "eastus2"))
                .isInstanceOfSatisfying(CredentialEndpointException.class, e -> {
                    assertThat(e.getMessage()).contains("http://***@" + address + ":8700/api/projects/p?api-key=***")
                            .contains("region 'eastus2'").contains(address)
                            .doesNotContain("hunter2").doesNotContain("s3cret");
                    assertThat(e.region()).isEqualTo("eastus2");
                });
    }

    @Test
    void validateRefusesAnHttpEndpointOnANetworkAddressBeforeAnyTokenIsFetched() throws Exception {
        String address = machineAddress().getHostAddress();
        TopologyLoader loader = new TopologyLoader(Map.<String, String>of()::get, resolving(Map.of(
                "127.0.0.1.nip.io", machineAddress())));
        Path file = write(dir, "t.json", "{\"regions\":{"
                + "\"eastus2\":{\"role\":\"primary\",\"project_endpoint\":\"http://" + address + ":8700/api/projects/e\","
                + "\"knowledge\":{\"idx\":{\"type\":\"azure_ai_search\",\"index_name\":\"i\",\"connection\":\"c\","
                + "\"endpoint\":\"HTTP://127.0.0.1.nip.io:9200\"},"
                + "\"docs\":{\"type\":\"vector_store\",\"vector_store_ids\":[\"vs\"],\"source\":{\"container\":\"k\","
                + "\"account_url\":\"http://" + address + ":10000/devstoreaccount1\"}}}},"
                + "\"centralus\":{\"role\":\"secondary\",\"project_endpoint\":\"http://localhost:8701/api/projects/c\"}}}");

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e -> {
            assertThat(e.problems()).extracting(p -> p.jsonPointer()).containsExactlyInAnyOrder(
                    "/regions/eastus2/project_endpoint",
                    "/regions/eastus2/knowledge/idx/endpoint",
                    "/regions/eastus2/knowledge/docs/source/account_url");
            assertThat(e.problems().get(0).reason()).contains("region 'eastus2'")
                    .contains("http://" + address + ":8700/api/projects/e").contains("cannot receive a credential");
        });
    }

    @Test
    void loopbackEndpointsOfTheLocalTopologyStillValidate() {
        Path file = write(dir, "t.json", "{\"regions\":{"
                + "\"eastus2\":{\"role\":\"primary\",\"project_endpoint\":\"HTTP://[::1]:8700/api/projects/e\"},"
                + "\"centralus\":{\"role\":\"secondary\",\"project_endpoint\":\"http://localhost:8701/api/projects/c\"}}}");

        Topology topology = new TopologyLoader(Map.<String, String>of()::get).load(file);

        assertThat(topology.regions()).containsKeys("eastus2", "centralus");
    }
}
