package dev.continuity.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.foundry.FoundryKnowledgeService;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.io.ContainedRoot;
import dev.continuity.io.PathRefusedException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.knowledge.DirectoryKnowledgeSource;
import dev.continuity.knowledge.FileKnowledgeSync;
import dev.continuity.knowledge.KnowledgeSyncException;
import dev.continuity.knowledge.KnowledgeSyncReport;
import dev.continuity.topology.KnowledgeBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.VectorStoreKnowledge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drill's knowledge agent: file knowledge under {@code agents/knowledge/<source>/} is synced into
 * both regions' vector stores (in production from geo-redundant Blob Storage), a knowledge conversation
 * searches the handbook before the outage and again, continuing, in the secondary after it; the answers
 * must cite the same files, each answer must carry its {@code file_search_call} item, and the secondary's
 * copy of the conversation must hold the primary's {@code file_search_call} (same id, replayed across the
 * failover).
 */
final class KnowledgeCheck {
    static final String QUESTION = "search parental";
    private static final String KNOWLEDGE_FOLDER = "knowledge";

    private final AgentDefinition agent;
    private final String source;
    private String conversation;
    private List<String> primaryCitations = List.of();
    private List<String> secondaryCitations = List.of();
    private String secondaryRegion;
    private String primaryFileSearchId;
    private boolean secondarySearched;

    private KnowledgeCheck(AgentDefinition agent, String source) {
        this.agent = agent;
        this.source = source;
    }

    /**
     * The first agent whose file_search names a source with a folder under {@code agentsDir/knowledge}.
     * A name that is not one plain folder name ({@link ContainedRoot#nameProblem}) names no folder here
     * (the definition loader has refused it already).
     */
    static Optional<KnowledgeCheck> find(List<AgentDefinition> agents, Path agentsDir) {
        Path knowledge = agentsDir.resolve(KNOWLEDGE_FOLDER);
        for (AgentDefinition definition : agents) {
            for (var tool : definition.tools()) {
                if (tool instanceof FileSearchTool fileSearch) {
                    for (String name : fileSearch.knowledgeSources()) {
                        if (ContainedRoot.nameProblem(name).isEmpty() && Files.isDirectory(knowledge.resolve(name))) {
                            return Optional.of(new KnowledgeCheck(definition, name));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Syncs the files into each region and returns the topology bound to the synced vector stores. */
    Topology sync(Topology topology, Path agentsDir, FoundryRegions regions) {
        DirectoryKnowledgeSource files = folder(agentsDir, source);
        Topology bound = topology;
        for (String region : regions.regionNames()) {
            KnowledgeSyncReport report = new FileKnowledgeSync(new FoundryKnowledgeService(region,
                    regions.clients(region))).sync(source, files);
            bound = bind(bound, region, report.vectorStoreId());
        }
        return bound;
    }

    /**
     * The folder {@code agentsDir/knowledge/<source>}, contained twice: {@code knowledge} must not be a link
     * leaving {@code agentsDir}, and the source folder must not leave {@code knowledge}.
     *
     * @throws KnowledgeSyncException naming the refused folder otherwise
     */
    static DirectoryKnowledgeSource folder(Path agentsDir, String source) {
        try {
            ContainedRoot.of(agentsDir).child(KNOWLEDGE_FOLDER);
        } catch (PathRefusedException e) {
            throw new KnowledgeSyncException("knowledge folder refused: " + e.getMessage(), e);
        }
        return DirectoryKnowledgeSource.named(agentsDir.resolve(KNOWLEDGE_FOLDER), source);
    }

    private Topology bind(Topology topology, String regionName, String vectorStoreId) {
        Region region = topology.requireRegion(regionName);
        Map<String, KnowledgeBinding> knowledge = new LinkedHashMap<>(region.knowledge());
        KnowledgeBinding old = knowledge.get(source);
        VectorStoreKnowledge previous = old instanceof VectorStoreKnowledge v ? v : null;
        knowledge.put(source, new VectorStoreKnowledge(List.of(vectorStoreId),
                previous == null ? null : previous.source(), previous == null ? null : previous.raw()));
        Map<String, Region> regions = new LinkedHashMap<>(topology.regions());
        regions.put(regionName, region.withKnowledge(knowledge));
        return new Topology(topology.source(), regions);
    }

    /** Before the outage: the question in the primary. */
    void askBefore(ContinuityClient client) {
        conversation = client.startConversation(agent.name());
        TurnResult result = client.send(conversation, QUESTION);
        primaryCitations = citations(result);
        primaryFileSearchId = fileSearchId(result);
    }

    /** After the failover: the same conversation, the same question, now in the secondary. */
    void askAfter(ContinuityClient client) {
        TurnResult result = client.send(conversation, QUESTION);
        secondaryRegion = result.region();
        secondaryCitations = citations(result);
        secondarySearched = fileSearchId(result) != null;
    }

    /**
     * Same citations on both sides, the secondary answered, both answers carry a {@code file_search_call},
     * and the secondary's copy of the conversation (found through the journal's cursor) holds the primary's.
     */
    boolean verified(String expectedSecondary, TurnJournal journal, AgentService secondary) {
        return !primaryCitations.isEmpty() && primaryCitations.equals(secondaryCitations)
                && expectedSecondary.equals(secondaryRegion) && secondarySearched
                && carriedAcross(journal, secondary);
    }

    /** The primary's file_search_call is in the secondary's copy of the conversation. */
    private boolean carriedAcross(TurnJournal journal, AgentService secondary) {
        if (primaryFileSearchId == null) {
            return false;
        }
        RegionCursor cursor = journal.head(conversation).map(h -> h.region(secondary.region())).orElse(null);
        if (cursor == null) {
            return false;
        }
        for (StoredItem item : secondary.listItems(cursor.conversationId())) {
            if ("file_search_call".equals(item.item().type())
                    && primaryFileSearchId.equals(item.item().node().path("id").asText(null))) {
                return true;
            }
        }
        return false;
    }

    private static String fileSearchId(TurnResult result) {
        for (TurnItem item : result.output()) {
            if ("file_search_call".equals(item.type())) {
                return item.node().path("id").asText(null);
            }
        }
        return null;
    }

    List<String> primaryCitations() {
        return primaryCitations;
    }

    List<String> secondaryCitations() {
        return secondaryCitations;
    }

    private static List<String> citations(TurnResult result) {
        List<String> files = new ArrayList<>();
        for (TurnItem item : result.output()) {
            for (JsonNode part : item.node().path("content")) {
                for (JsonNode annotation : part.path("annotations")) {
                    if ("file_citation".equals(annotation.path("type").asText())) {
                        files.add(annotation.path("filename").asText());
                    }
                }
            }
        }
        return files;
    }
}
