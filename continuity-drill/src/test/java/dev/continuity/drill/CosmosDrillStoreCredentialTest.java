package dev.continuity.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.continuity.topology.CredentialEndpointException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The drill's Cosmos DB journal on an account takes its key from {@code CONTINUITY_COSMOS_KEY}, never from
 * the command line, and sends neither a key signature nor a token over plain http off loopback.
 */
@Tag("adversarial")
class CosmosDrillStoreCredentialTest {

    private static InetAddress machineAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        }
        return InetAddress.getLocalHost();
    }

    @Test
    void anAccountOverPlainHttpOffLoopbackIsRefusedBeforeAnyRequest() throws Exception {
        InetAddress address = machineAddress();
        assertThat(address.isLoopbackAddress()).isFalse();
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer capture = HttpServer.create(new InetSocketAddress(address, 0), 0);
        capture.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " authorization="
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        capture.start();
        try {
            String endpoint = "http://" + address.getHostAddress() + ":" + capture.getAddress().getPort() + "/";

            assertThatThrownBy(() -> CosmosDrillStore.remote(endpoint, "db",
                    Map.of(CosmosDrillStore.KEY_ENVIRONMENT_VARIABLE, "a2V5LWZyb20tZW52")::get))
                    .isInstanceOf(CredentialEndpointException.class).hasMessageContaining(endpoint)
                    .hasMessageNotContaining("a2V5LWZyb20tZW52");
            assertThatThrownBy(() -> CosmosDrillStore.remote(endpoint, "db", name -> null))
                    .isInstanceOf(CredentialEndpointException.class);
            assertThat(received).isEmpty();
        } finally {
            capture.stop(0);
        }
    }
}
