package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Builder validation, region lookup and lifecycle. */
class EmulatorBuilderTest {

    @Test
    void regionsAreListedInDeclarationOrderAndLookedUpByName() {
        try (Emulator emulator = Emulator.builder().region("westus").region("eastus2").region("centralus").start()) {
            assertThat(emulator.regions()).extracting(EmulatorRegion::name).containsExactly("westus", "eastus2", "centralus");
            assertThat(emulator.region("eastus2").projectEndpoint())
                    .isEqualTo("http://127.0.0.1:" + emulator.region("eastus2").port() + "/api/projects/eastus2");
            assertThatThrownBy(() -> emulator.region("mars"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mars").hasMessageContaining("westus, eastus2, centralus");
        }
    }

    @Test
    void fixedPortsAreUsed() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Emulator emulator = Emulator.builder().region("eastus2", port).start()) {
            assertThat(emulator.region("eastus2").port()).isEqualTo(port);
        }
        // closing frees the port for the next emulator
        try (Emulator again = Emulator.builder().region("eastus2", port).start()) {
            assertThat(Http.of(again.region("eastus2")).get("/agents").status()).isEqualTo(200);
        }
    }

    @Test
    void invalidConfigurationsFailClearly() {
        assertThatThrownBy(() -> Emulator.builder().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one region");
        assertThatThrownBy(() -> Emulator.builder().region("a").region("a")).hasMessageContaining("Region a is declared twice");
        assertThatThrownBy(() -> Emulator.builder().region("a", 70000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> Emulator.builder().region("a b")).hasMessageContaining("Invalid region name 'a b'");
        assertThatThrownBy(() -> Emulator.builder().region("a").deployments("b", "gpt-4o").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region b");
        assertThatThrownBy(() -> Emulator.builder().deployments("a", "")).hasMessageContaining("blank deployment");
    }

    @Test
    void aTakenPortFailsNamingRegionAndPortAndReleasesTheOthers() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int free;
            try (ServerSocket probe = new ServerSocket(0)) {
                free = probe.getLocalPort();
            }
            assertThatThrownBy(() -> Emulator.builder().region("first", free).region("second", taken.getLocalPort()).start())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("second").hasMessageContaining(String.valueOf(taken.getLocalPort()));
            // the first region's port was released
            try (ServerSocket reuse = new ServerSocket(free, 1, java.net.InetAddress.getLoopbackAddress())) {
                assertThat(reuse.getLocalPort()).isEqualTo(free);
            }
        }
    }

    @Test
    void startsInMillisecondsAndCloseRefusesConnections() {
        Emulator emulator = Emulator.builder().region("eastus2").start();
        Http http = Http.of(emulator.region("eastus2"));
        assertThat(http.get("/agents").status()).isEqualTo(200);
        emulator.close();
        assertThatThrownBy(() -> http.get("/agents")).isInstanceOf(UncheckedIOException.class);
        emulator.close(); // idempotent
    }
}
