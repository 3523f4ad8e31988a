package dev.continuity.knowledge;

import java.util.List;
import java.util.Map;

/**
 * The files and vector stores of one region's Foundry project, in domain terms (the port knowledge
 * sync writes through). The Foundry adapter is {@code dev.continuity.foundry.FoundryKnowledgeService}
 * (in continuity-foundry). Failures are
 * {@link dev.continuity.agentservice.AgentServiceException}s naming the region and the operation.
 */
public interface KnowledgeService {

    /** The region this service belongs to. */
    String region();

    /** Every vector store of the project, oldest first. */
    List<VectorStoreInfo> listVectorStores();

    /** Creates an empty vector store. */
    VectorStoreInfo createVectorStore(String name, Map<String, String> metadata);

    /** Every file attached to a vector store, in attach order. */
    List<VectorStoreFileEntry> listVectorStoreFiles(String vectorStoreId);

    /** Uploads a file (purpose {@code assistants}) and returns its id. */
    String uploadFile(String filename, byte[] content);

    /** Attaches an uploaded file to a vector store with string attributes; returns the entry. */
    VectorStoreFileEntry attachFile(String vectorStoreId, String fileId, Map<String, String> attributes);

    /**
     * A file's entry in a vector store as it is now (its indexing status: the service indexes
     * asynchronously, {@code in_progress} until it is {@code completed} or {@code failed}).
     */
    VectorStoreFileEntry vectorStoreFile(String vectorStoreId, String fileId);

    /** Detaches a file from a vector store (the file itself stays). */
    void detachFile(String vectorStoreId, String fileId);

    /** Deletes an uploaded file. */
    void deleteFile(String fileId);
}
