package dev.continuity.knowledge;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.io.ContainedRoot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one region's vector store for a logical knowledge source hold exactly the source's files,
 * idempotently and incrementally.
 *
 * <p><b>The manifest lives in the target region itself.</b> The vector store carries metadata
 * {@value #KNOWLEDGE_METADATA_KEY} = the logical name (that is how the store is found again, by this
 * class and by {@link KnowledgeResolver}), and every file it attaches carries the attributes
 * {@value #PATH_ATTRIBUTE} (the path relative to the source) and {@value #HASH_ATTRIBUTE} (hex
 * SHA-256 of the content). A sync lists the store's files and compares: a path whose hash matches is
 * left alone (no upload), a changed path is uploaded, attached, and then its old file detached and
 * deleted, a path no longer in the source is detached and deleted. Nothing is written to the storage
 * account, so a sync works from a read-only (RA-GZRS secondary) endpoint while the primary region
 * is dark, and the record cannot drift from what the region really holds. Files attached without
 * these attributes (by someone else) are left alone.
 *
 * <p>Crash safety: upload, attach, then remove the old file. A crash between upload and attach leaves
 * an unattached file (a leak, not an error); a crash before the old file is removed leaves two
 * entries for a path, which the next sync resolves by keeping the one whose hash matches.
 *
 * <p>Indexing: the call returns once files are attached; the service may still be indexing them
 * ({@code in_progress}). An attach answered {@code failed} fails the sync, naming the path.
 */
public final class FileKnowledgeSync {

    /** Vector store metadata key holding the logical knowledge source name. */
    public static final String KNOWLEDGE_METADATA_KEY = "continuity-knowledge";
    /** Vector store metadata key describing the source (for people). */
    public static final String SOURCE_METADATA_KEY = "continuity-source";
    /** File attribute: the path relative to the source. */
    public static final String PATH_ATTRIBUTE = "continuity-path";
    /** File attribute: hex SHA-256 of the content. */
    public static final String HASH_ATTRIBUTE = "continuity-sha256";
    /** Longest path an attribute can hold. */
    public static final int MAX_PATH = 512;

    private static final Logger LOG = LoggerFactory.getLogger(FileKnowledgeSync.class);

    /** How long a sync waits by default for the service to index one file. */
    public static final Duration DEFAULT_INDEXING_TIMEOUT = Duration.ofMinutes(10);

    private final KnowledgeService target;
    private final int concurrency;
    private final Duration indexingTimeout;

    /** Syncs into {@code target} with 4 files in flight. */
    public FileKnowledgeSync(KnowledgeService target) {
        this(target, 4);
    }

    /**
     * Syncs into {@code target} with up to {@code concurrency} files read and uploaded at once.
     *
     * @throws IllegalArgumentException when concurrency is below 1
     */
    public FileKnowledgeSync(KnowledgeService target, int concurrency) {
        this(target, concurrency, DEFAULT_INDEXING_TIMEOUT);
    }

    /**
     * Syncs into {@code target} with up to {@code concurrency} files at once, waiting up to
     * {@code indexingTimeout} per file for the service to finish indexing it (the service indexes
     * asynchronously: a file is {@code in_progress} until {@code completed} or {@code failed}).
     *
     * @throws IllegalArgumentException when concurrency is below 1 or the timeout is not positive
     */
    public FileKnowledgeSync(KnowledgeService target, int concurrency, Duration indexingTimeout) {
        this.target = Objects.requireNonNull(target, "target");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        if (indexingTimeout == null || indexingTimeout.isNegative() || indexingTimeout.isZero()) {
            throw new IllegalArgumentException("indexingTimeout must be positive, got " + indexingTimeout);
        }
        this.concurrency = concurrency;
        this.indexingTimeout = indexingTimeout;
    }

    /**
     * The vector store holding {@code knowledgeName} in the service's region (the oldest when there are
     * several), if a sync created one.
     */
    public static Optional<VectorStoreInfo> findVectorStore(KnowledgeService service, String knowledgeName) {
        return findVectorStore(service.listVectorStores(), knowledgeName);
    }

    /**
     * The vector store among {@code stores} holding {@code knowledgeName} (the oldest when there are
     * several), if any.
     */
    static Optional<VectorStoreInfo> findVectorStore(List<VectorStoreInfo> stores, String knowledgeName) {
        return stores.stream()
                .filter(v -> knowledgeName.equals(v.metadata().get(KNOWLEDGE_METADATA_KEY)))
                .min(Comparator.comparingLong(VectorStoreInfo::createdAt).thenComparing(VectorStoreInfo::id));
    }

    /**
     * Syncs the files of {@code source} into the region's vector store for {@code knowledgeName}
     * (created on first sync).
     *
     * @throws KnowledgeSyncException naming the source, region and file when a file cannot be read,
     *     has a path longer than {@value #MAX_PATH} characters or an unsafe one (an empty, {@code .} or
     *     {@code ..} segment, a backslash, NUL, leading {@code /} or drive letter:
     *     {@link ContainedRoot#relativePathProblem}; checked for every path before anything is uploaded),
     *     or fails to upload, attach or index
     */
    public KnowledgeSyncReport sync(String knowledgeName, KnowledgeSource source) {
        Objects.requireNonNull(knowledgeName, "knowledgeName");
        Objects.requireNonNull(source, "source");
        long started = System.nanoTime();
        String region = target.region();
        List<String> paths = source.list();
        for (String path : paths) {
            Optional<String> unsafe = ContainedRoot.relativePathProblem(path);
            if (unsafe.isPresent()) {
                throw new KnowledgeSyncException("knowledge source '" + knowledgeName + "': path '" + path + "' in "
                        + source.describe() + " " + unsafe.get() + "; nothing synced");
            }
            if (path.length() > MAX_PATH) {
                throw new KnowledgeSyncException("knowledge source '" + knowledgeName + "': path '" + path + "' in "
                        + source.describe() + " has " + path.length() + " characters; at most " + MAX_PATH
                        + " fit a vector store file attribute");
            }
        }
        Optional<VectorStoreInfo> found = findVectorStore(target, knowledgeName);
        boolean created = found.isEmpty();
        VectorStoreInfo store = found.orElseGet(() -> {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(KNOWLEDGE_METADATA_KEY, knowledgeName);
            String described = source.describe();
            metadata.put(SOURCE_METADATA_KEY, described.length() > 512 ? described.substring(0, 512) : described);
            VectorStoreInfo made = target.createVectorStore(knowledgeName, metadata);
            LOG.info("created vector store {} for knowledge source '{}' in {}", made.id(), knowledgeName, region);
            return made;
        });
        Map<String, List<VectorStoreFileEntry>> existing = new HashMap<>();
        for (VectorStoreFileEntry entry : target.listVectorStoreFiles(store.id())) {
            String path = entry.attributes().get(PATH_ATTRIBUTE);
            if (path != null) {
                existing.computeIfAbsent(path, p -> new ArrayList<>()).add(entry);
            }
        }

        List<String> added = Collections.synchronizedList(new ArrayList<>());
        List<String> replaced = Collections.synchronizedList(new ArrayList<>());
        List<String> removed = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, paths.size())), r -> {
            Thread t = new Thread(r, "knowledge-sync-" + region);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Boolean>> results = new ArrayList<>(paths.size());
            for (String path : paths) {
                List<VectorStoreFileEntry> current = existing.getOrDefault(path, List.of());
                results.add(pool.submit(() -> syncFile(knowledgeName, source, store.id(), path, current, added, replaced)));
            }
            int unchanged = 0;
            for (int i = 0; i < results.size(); i++) {
                if (!await(results.get(i), knowledgeName, paths.get(i), region)) {
                    unchanged++;
                }
            }
            Set<String> wanted = Set.copyOf(paths);
            List<String> gone = new ArrayList<>(existing.keySet());
            gone.removeAll(wanted);
            gone.sort(null);
            for (String path : gone) {
                for (VectorStoreFileEntry entry : existing.get(path)) {
                    remove(store.id(), entry.fileId());
                }
                removed.add(path);
            }
            List<String> addedSorted = sorted(added);
            List<String> replacedSorted = sorted(replaced);
            KnowledgeSyncReport report = new KnowledgeSyncReport(knowledgeName, region, store.id(), created,
                    addedSorted, replacedSorted, removed, unchanged, (System.nanoTime() - started) / 1_000_000);
            LOG.info("knowledge sync {}", report);
            return report;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Syncs one path; true when it uploaded. */
    private boolean syncFile(String knowledgeName, KnowledgeSource source, String storeId, String path,
                             List<VectorStoreFileEntry> current, List<String> added, List<String> replaced) {
        byte[] content = source.read(path);
        String hash = sha256(content);
        VectorStoreFileEntry keep = null;
        for (VectorStoreFileEntry entry : current) {
            if (keep == null && hash.equals(entry.attributes().get(HASH_ATTRIBUTE)) && !"failed".equals(entry.status())) {
                keep = entry;
            }
        }
        if (keep == null) {
            String fileId = target.uploadFile(fileName(path), content);
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put(PATH_ATTRIBUTE, path);
            attributes.put(HASH_ATTRIBUTE, hash);
            awaitIndexed(knowledgeName, path, storeId, target.attachFile(storeId, fileId, attributes));
            (current.isEmpty() ? added : replaced).add(path);
        } else if (keep.indexing()) {
            // an earlier sync attached it and the service is still indexing: wait, as for a new file
            awaitIndexed(knowledgeName, path, storeId, keep);
        }
        for (VectorStoreFileEntry entry : current) {
            if (entry != keep) {
                remove(storeId, entry.fileId());
            }
        }
        return keep == null;
    }

    /**
     * Polls the file's entry until the service has finished indexing it (backing off from 50 ms to 2 s
     * between reads).
     *
     * @throws KnowledgeSyncException when it is still {@code in_progress} after the indexing timeout, or
     *     when the service finished with any status but {@code completed} (naming it and its last error)
     */
    private void awaitIndexed(String knowledgeName, String path, String storeId, VectorStoreFileEntry entry) {
        long deadline = System.nanoTime() + indexingTimeout.toNanos();
        int round = 0;
        VectorStoreFileEntry current = entry;
        while (current.indexing()) {
            if (System.nanoTime() - deadline > 0) {
                throw new KnowledgeSyncException("knowledge source '" + knowledgeName + "': the service did not finish "
                        + "indexing '" + path + "' (file " + current.fileId() + ") in vector store " + storeId
                        + " of region " + target.region() + " within " + indexingTimeout);
            }
            try {
                Thread.sleep(RetrySettings.polling().delayMillis(++round, -1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KnowledgeSyncException("knowledge sync of '" + knowledgeName + "' into " + target.region()
                        + " interrupted while waiting for '" + path + "' to be indexed", e);
            }
            current = target.vectorStoreFile(storeId, current.fileId());
        }
        if (!"completed".equals(current.status())) {
            throw new KnowledgeSyncException("knowledge source '" + knowledgeName + "': the service could not index '"
                    + path + "' (file " + current.fileId() + ") in vector store " + storeId + " of region "
                    + target.region() + ": status " + current.status()
                    + (current.lastError() == null ? "" : " (" + current.lastError() + ")"));
        }
    }

    private void remove(String storeId, String fileId) {
        try {
            target.detachFile(storeId, fileId);
        } catch (AgentServiceException e) {
            if (e.kind() != AgentServiceException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        try {
            target.deleteFile(fileId);
        } catch (AgentServiceException e) {
            if (e.kind() != AgentServiceException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static boolean await(Future<Boolean> result, String knowledgeName, String path, String region) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KnowledgeSyncException("knowledge sync of '" + knowledgeName + "' into " + region + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KnowledgeSyncException k) {
                throw k;
            }
            throw new KnowledgeSyncException("knowledge source '" + knowledgeName + "': syncing '" + path + "' into "
                    + region + " failed: " + cause.getMessage(), cause);
        }
    }

    /** The name a file is uploaded under (and cited by): the last segment of its path. */
    static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** Hex SHA-256. */
    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static List<String> sorted(List<String> paths) {
        List<String> copy;
        synchronized (paths) {
            copy = new ArrayList<>(paths);
        }
        copy.sort(null);
        return copy;
    }
}
