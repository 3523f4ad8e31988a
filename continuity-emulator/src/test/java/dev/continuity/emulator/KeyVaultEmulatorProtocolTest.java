package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.emulator.keyvault.KeyVaultEmulator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The Key Vault emulator's protocol over raw https: the bearer challenge the SDK's challenge policy expects, the
 * api-version rule, RSA-OAEP-256 wrap/unwrap round trips, and the service's errors for a disabled version, an
 * unknown key and an unsupported algorithm. (The real SDK client is exercised in continuity-foundry's
 * KeyVaultKeyEncryptionKeyTest.)
 */
class KeyVaultEmulatorProtocolTest {

    @Test
    void aRequestWithoutATokenGetsTheChallengeAndKeysWrapRoundTrip() {
        try (KeyVaultEmulator vault = KeyVaultEmulator.start()) {
            Http https = new Http(vault.vaultUrl(), vault.clientSslContext());

            Http.Reply challenge = https.send(HttpRequest.newBuilder(URI.create(vault.vaultUrl()
                    + "/keys/k/create?api-version=7.6")).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer authorization=\"https://login.microsoftonline.com/")
                    .contains("resource=\"https://vault.azure.net\""));

            assertThat(https.post("/keys/k/create", "{\"kty\":\"RSA\"}").status()).isEqualTo(400);
            Http.Reply created = https.post("/keys/k/create?api-version=7.6", "{\"kty\":\"RSA\",\"key_size\":2048}");
            assertThat(created.status()).isEqualTo(200);
            String kid = created.json().at("/key/kid").asText();
            assertThat(kid).startsWith(vault.vaultUrl() + "/keys/k/");
            assertThat(created.json().at("/key/n").asText()).isNotEmpty();
            String version = kid.substring(kid.lastIndexOf('/') + 1);

            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
            Http.Reply wrapped = https.post("/keys/k/" + version + "/wrapkey?api-version=2025-07-01",
                    "{\"alg\":\"RSA-OAEP-256\",\"value\":\"" + secret + "\"}");
            assertThat(wrapped.status()).isEqualTo(200);
            assertThat(wrapped.json().path("kid").asText()).isEqualTo(kid);
            Http.Reply unwrapped = https.post("/keys/k//unwrapkey?api-version=7.6",
                    "{\"alg\":\"RSA-OAEP-256\",\"value\":\"" + wrapped.json().path("value").asText() + "\"}");
            assertThat(unwrapped.json().path("value").asText()).isEqualTo(secret);

            assertThat(https.post("/keys/k/" + version + "/wrapkey?api-version=7.6",
                    "{\"alg\":\"A256KW\",\"value\":\"" + secret + "\"}").json().at("/error/code").asText())
                    .isEqualTo("BadParameter");
            vault.enable("k", version, false);
            Http.Reply disabled = https.post("/keys/k/" + version + "/unwrapkey?api-version=7.6",
                    "{\"alg\":\"RSA-OAEP-256\",\"value\":\"" + wrapped.json().path("value").asText() + "\"}");
            assertThat(disabled.status()).isEqualTo(403);
            assertThat(disabled.json().at("/error/message").asText()).contains("disabled");
            Http.Reply missing = https.post("/keys/nope/" + version + "/unwrapkey?api-version=7.6", "{}");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().at("/error/code").asText()).isEqualTo("KeyNotFound");
            assertThat(vault.operationCounts()).containsEntry("challenge", 1L).containsEntry("wrapkey", 1L)
                    .containsEntry("unwrapkey", 1L);
        }
    }
}
