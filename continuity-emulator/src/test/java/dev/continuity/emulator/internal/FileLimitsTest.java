package dev.continuity.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The per-file size and per-vector-store file-count limits, with small limits so the test stays cheap. */
class FileLimitsTest {

    @Test
    void theServiceLimitsAre512MegabytesAndTenThousandFiles() {
        assertThat(Limits.MAX_FILE_BYTES).isEqualTo(512L * 1024 * 1024);
        assertThat(Limits.MAX_VECTOR_STORE_FILES).isEqualTo(10_000);
    }

    @Test
    void aFileOverTheLimitIsRefusedNamingItsSize() {
        FileStore files = new FileStore(new IdGenerator(7), 10);
        assertThat(files.add("ok.txt", "assistants", new byte[10]).id()).startsWith("file-");
        assertThatThrownBy(() -> files.add("big.txt", "assistants", new byte[11]))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("file_too_large");
                    assertThat(e.getMessage()).contains("big.txt").contains("11 bytes").contains("10 bytes");
                });
        assertThat(files.size()).isEqualTo(1);
    }

    @Test
    void aVectorStoreHoldsAtMostTheLimit() {
        IdGenerator ids = new IdGenerator(7);
        FileStore files = new FileStore(ids, 100);
        VectorStoreStore stores = new VectorStoreStore(ids, files, 2);
        String vs = Json.parseTrusted(stores.create(null)).path("id").asText();
        String a = files.add("a", "assistants", new byte[1]).id();
        String b = files.add("b", "assistants", new byte[1]).id();
        String c = files.add("c", "assistants", new byte[1]).id();
        stores.attach(vs, Json.parseRequest(("{\"file_id\":\"" + a + "\"}").getBytes()));
        stores.attach(vs, Json.parseRequest(("{\"file_id\":\"" + b + "\"}").getBytes()));
        // re-attaching a file already there is not a new file
        stores.attach(vs, Json.parseRequest(("{\"file_id\":\"" + b + "\"}").getBytes()));
        assertThatThrownBy(() -> stores.attach(vs, Json.parseRequest(("{\"file_id\":\"" + c + "\"}").getBytes())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("too_many_files");
                    assertThat(e.getMessage()).contains(vs).contains("the limit is 2");
                });
    }
}
