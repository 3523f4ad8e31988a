package dev.continuity.foundry;

import com.openai.core.JsonString;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.vectorstores.VectorStore;
import com.openai.models.vectorstores.VectorStoreCreateParams;
import com.openai.models.vectorstores.VectorStoreListParams;
import com.openai.models.vectorstores.files.FileDeleteParams;
import com.openai.models.vectorstores.files.FileListParams;
import com.openai.models.vectorstores.files.VectorStoreFile;
import dev.continuity.foundry.internal.FoundryErrors;
import dev.continuity.knowledge.KnowledgeService;
import dev.continuity.knowledge.VectorStoreFileEntry;
import dev.continuity.knowledge.VectorStoreInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link KnowledgeService} over openai-java's files and vector stores APIs of one region's project
 * ({@code <projectEndpoint>/openai/files}, {@code /openai/vector_stores}). SDK failures become
 * {@link dev.continuity.agentservice.AgentServiceException}s naming the region and the operation.
 */
public final class FoundryKnowledgeService implements KnowledgeService {

    private static final long PAGE = 100;

    private final String region;
    private final FoundryClients clients;

    /** Adapts already built clients (built with {@link FoundryClientFactory}). */
    public FoundryKnowledgeService(String region, FoundryClients clients) {
        this.region = Objects.requireNonNull(region, "region");
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public List<VectorStoreInfo> listVectorStores() {
        return call("vector_stores.list", () -> {
            List<VectorStoreInfo> out = new ArrayList<>();
            clients.openAI().vectorStores()
                    .list(VectorStoreListParams.builder().limit(PAGE).order(VectorStoreListParams.Order.ASC).build())
                    .autoPager().forEach(v -> out.add(info(v)));
            return out;
        });
    }

    @Override
    public VectorStoreInfo createVectorStore(String name, Map<String, String> metadata) {
        return call("vector_stores.create", () -> {
            VectorStoreCreateParams.Metadata.Builder meta = VectorStoreCreateParams.Metadata.builder();
            metadata.forEach((k, v) -> meta.putAdditionalProperty(k, JsonValue.from(v)));
            return info(clients.openAI().vectorStores().create(VectorStoreCreateParams.builder()
                    .name(name).metadata(meta.build()).build()));
        });
    }

    @Override
    public List<VectorStoreFileEntry> listVectorStoreFiles(String vectorStoreId) {
        return call("vector_stores.files.list", () -> {
            List<VectorStoreFileEntry> out = new ArrayList<>();
            clients.openAI().vectorStores().files()
                    .list(vectorStoreId, FileListParams.builder().limit(PAGE).order(FileListParams.Order.ASC).build())
                    .autoPager().forEach(f -> out.add(entry(f)));
            return out;
        });
    }

    @Override
    public String uploadFile(String filename, byte[] content) {
        return call("files.create", () -> {
            FileObject file = clients.openAI().files().create(FileCreateParams.builder()
                    .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(content))
                            .filename(filename).build())
                    .purpose(FilePurpose.ASSISTANTS)
                    .build());
            return file.id();
        });
    }

    @Override
    public VectorStoreFileEntry attachFile(String vectorStoreId, String fileId, Map<String, String> attributes) {
        return call("vector_stores.files.create", () -> {
            com.openai.models.vectorstores.files.FileCreateParams.Attributes.Builder attrs =
                    com.openai.models.vectorstores.files.FileCreateParams.Attributes.builder();
            attributes.forEach((k, v) -> attrs.putAdditionalProperty(k, JsonValue.from(v)));
            return entry(clients.openAI().vectorStores().files().create(vectorStoreId,
                    com.openai.models.vectorstores.files.FileCreateParams.builder()
                            .fileId(fileId).attributes(attrs.build()).build()));
        });
    }

    @Override
    public VectorStoreFileEntry vectorStoreFile(String vectorStoreId, String fileId) {
        return call("vector_stores.files.retrieve", () -> entry(clients.openAI().vectorStores().files()
                .retrieve(fileId, com.openai.models.vectorstores.files.FileRetrieveParams.builder()
                        .vectorStoreId(vectorStoreId).build())));
    }

    @Override
    public void detachFile(String vectorStoreId, String fileId) {
        call("vector_stores.files.delete", () -> clients.openAI().vectorStores().files()
                .delete(fileId, FileDeleteParams.builder().vectorStoreId(vectorStoreId).build()));
    }

    @Override
    public void deleteFile(String fileId) {
        call("files.delete", () -> clients.openAI().files().delete(fileId));
    }

    private static VectorStoreInfo info(VectorStore v) {
        Map<String, String> metadata = new LinkedHashMap<>();
        v.metadata().ifPresent(m -> m._additionalProperties().forEach((k, value) -> {
            if (value instanceof JsonString s) {
                metadata.put(k, s.value());
            }
        }));
        return new VectorStoreInfo(v.id(), v._name().asKnown().orElse(null), metadata, v.createdAt());
    }

    private static VectorStoreFileEntry entry(VectorStoreFile f) {
        Map<String, String> attributes = new LinkedHashMap<>();
        f.attributes().ifPresent(a -> a._additionalProperties().forEach((k, value) -> {
            if (value instanceof JsonString s) {
                attributes.put(k, s.value());
            }
        }));
        String lastError = f.lastError().map(e -> e.code().asString() + ": " + e.message()).orElse(null);
        return new VectorStoreFileEntry(f.id(), f.status().asString(), attributes, lastError);
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw FoundryErrors.translate(region, operation, e);
        }
    }
}
