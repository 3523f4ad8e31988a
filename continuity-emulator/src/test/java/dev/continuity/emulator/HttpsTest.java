package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** HTTPS with the generated self-signed certificate and truststore. */
class HttpsTest {

    @Test
    void regionsSpeakTlsTrustedByTheGeneratedTruststore() throws Exception {
        try (Emulator emulator = Emulator.builder().region("eastus2").https(true).start()) {
            EmulatorRegion region = emulator.region("eastus2");
            assertThat(region.projectEndpoint()).isEqualTo("https://127.0.0.1:" + region.port() + "/api/projects/eastus2");
            assertThat(emulator.trustStore()).exists();

            // load the truststore file exactly as -Djavax.net.ssl.trustStore would
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(emulator.trustStore().toFile())) {
                trust.load(in, emulator.trustStorePassword().toCharArray());
            }
            X509Certificate certificate = (X509Certificate) trust.getCertificate(trust.aliases().nextElement());
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            assertThat(names).contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
            certificate.checkValidity();

            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, factory.getTrustManagers(), null);

            Http https = new Http(region.projectEndpoint(), ssl);
            Http.Reply agent = https.post("/agents/tls-agent/versions", "{\"definition\":{\"model\":\"gpt-4o-mini\",\"kind\":\"prompt\"}}");
            assertThat(agent.status()).isEqualTo(200);
            String conversation = https.post("/openai/conversations", "{}").json().get("id").asText();
            Http.Reply response = https.post("/openai/responses", "{\"conversation\":\"" + conversation
                    + "\",\"input\":\"hi\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"tls-agent\"}}");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().at("/output/0/content/0/text").asText()).isEqualTo("[tls-agent@1 in eastus2] You said: hi");

            // the hostname localhost is covered too
            Http byName = new Http("https://localhost:" + region.port() + "/api/projects/eastus2", emulator.clientSslContext());
            assertThat(byName.get("/agents/tls-agent").status()).isEqualTo(200);

            // the admin API serves the truststore and certificate for standalone users
            Http admin = new Http(emulator.adminEndpoint());
            assertThat(admin.get("/admin/certificate").text()).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(admin.get("/admin/truststore").status()).isEqualTo(200);
        }
    }

    @Test
    void anUntrustingClientIsRejected() throws Exception {
        try (Emulator emulator = Emulator.builder().region("eastus2").https(true).start()) {
            Http untrusting = new Http(emulator.region("eastus2").projectEndpoint(), SSLContext.getDefault());
            assertThatThrownBy(() -> untrusting.get("/agents"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        }
    }

    @Test
    void theCertificateIsSharedAcrossEmulatorsOfOneJvmAndSurvivesOutages() throws Exception {
        try (Emulator first = Emulator.builder().region("a").https(true).start();
             Emulator second = Emulator.builder().region("b").https(true).start()) {
            assertThat(second.trustStore()).isEqualTo(first.trustStore());
            Http http = new Http(second.region("b").projectEndpoint(), first.clientSslContext());
            assertThat(http.get("/agents").status()).isEqualTo(200);
            second.region("b").faults().outage();
            second.region("b").faults().restore();
            assertThat(http.get("/agents").status()).isEqualTo(200);
        }
    }

    @Test
    void plainHttpEmulatorsHaveNoTruststore() {
        try (Emulator emulator = Emulator.builder().region("eastus2").start()) {
            assertThat(emulator.isHttps()).isFalse();
            assertThat(emulator.region("eastus2").projectEndpoint()).startsWith("http://127.0.0.1:");
            assertThatThrownBy(emulator::trustStore).isInstanceOf(IllegalStateException.class).hasMessageContaining("https(true)");
        }
    }
}
