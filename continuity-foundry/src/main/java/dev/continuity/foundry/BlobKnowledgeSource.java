package dev.continuity.foundry;

import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.continuity.ErrorSummary;
import dev.continuity.io.ContainedRoot;
import dev.continuity.knowledge.KnowledgeSource;
import dev.continuity.knowledge.KnowledgeSyncException;
import dev.continuity.topology.BlobSource;
import dev.continuity.topology.CredentialEndpointRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The files under a prefix of a Blob Storage container ({@link BlobSource}). Paths are blob names
 * without the prefix. Blobs under {@code <prefix>.continuity/} and "directory" placeholders are
 * skipped. The prefix names a folder: it is empty or ends with {@code /} (a prefix {@code handbook}
 * would also match {@code handbook-private/...}), and neither it nor a path read has an empty,
 * {@code .} or {@code ..} segment ({@link ContainedRoot#relativePathProblem}); a blob whose name has one
 * is refused by the sync, naming it, since a service could resolve it to a blob outside the prefix. To sync while the storage account's primary region is dark, build the client on the
 * RA-GZRS/RA-GRS secondary endpoint ({@code https://<account>-secondary.blob.core.windows.net}).
 */
public final class BlobKnowledgeSource implements KnowledgeSource {

    private final BlobContainerClient container;
    private final String prefix;

    /** The files of {@code source} through an already authenticated client of its account. */
    public BlobKnowledgeSource(BlobServiceClient account, BlobSource source) {
        this(Objects.requireNonNull(account, "account").getBlobContainerClient(source.container()), source.prefix());
    }

    /**
     * The files under {@code prefix} in {@code container}.
     *
     * @throws dev.continuity.topology.CredentialEndpointException when {@link CredentialEndpointRule} refuses
     *     the container's URL (plain {@code http://} to an address that is not loopback): the client signs
     *     or authorizes every request, so none is sent there
     * @throws IllegalArgumentException when the prefix is not a folder ({@link BlobSource#prefixProblem})
     */
    public BlobKnowledgeSource(BlobContainerClient container, String prefix) {
        this.container = Objects.requireNonNull(container, "container");
        CredentialEndpointRule.system().require(container.getBlobContainerUrl(), null);
        this.prefix = prefix == null ? "" : prefix;
        Optional<String> problem = BlobSource.prefixProblem(this.prefix);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("blob container '" + container.getBlobContainerName() + "': prefix '"
                    + this.prefix + "' " + problem.get());
        }
    }

    @Override
    public String describe() {
        return "blob container '" + container.getBlobContainerName() + "' prefix '" + prefix + "'";
    }

    @Override
    public List<String> list() {
        List<String> paths = new ArrayList<>();
        try {
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
                String path = item.getName().substring(prefix.length());
                if (path.isEmpty() || path.endsWith("/") || path.startsWith(".continuity/")) {
                    continue;
                }
                paths.add(path);
            }
        } catch (RuntimeException e) {
            throw new KnowledgeSyncException("cannot list " + describe() + ": " + summary(e), e);
        }
        paths.sort(null);
        return paths;
    }

    @Override
    public byte[] read(String path) {
        Optional<String> unsafe = ContainedRoot.relativePathProblem(path);
        if (unsafe.isPresent()) {
            throw new KnowledgeSyncException("refused '" + path + "' in " + describe() + ": the path " + unsafe.get());
        }
        try {
            return container.getBlobClient(prefix + path).downloadContent().toBytes();
        } catch (RuntimeException e) {
            throw new KnowledgeSyncException("cannot read '" + path + "' from " + describe() + ": " + summary(e), e);
        }
    }

    /** One line: status, error code and the first words of the answer (an HTML error page is summarised). */
    private static String summary(RuntimeException error) {
        if (error instanceof BlobStorageException e) {
            return ErrorSummary.of(e.getStatusCode(), e.getErrorCode() == null ? null : e.getErrorCode().toString(),
                    e.getServiceMessage());
        }
        if (error instanceof HttpResponseException e && e.getResponse() != null) {
            return ErrorSummary.of(e.getResponse().getStatusCode(), null, e.getMessage());
        }
        return error.getClass().getSimpleName() + ": " + ErrorSummary.of(error.getMessage());
    }
}
