package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The versioned agents of one region. Versions are immutable; creating a version whose definition,
 * metadata and description equal the latest version's returns the latest version.
 */
public final class AgentStore {

    private final ConcurrentHashMap<String, Agent> agents = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final RegionInfo region;

    /** Creates the store of a region. */
    public AgentStore(RegionInfo region) {
        this.region = region;
    }

    /**
     * Creates a version from a request body {@code {"definition":{..},"metadata":{..},"description":".."}},
     * or returns the latest version when nothing changed; the definition is checked as the preview spec defines it.
     */
    public AgentVersion createVersion(String name, JsonNode body) {
        return createVersion(name, body, false);
    }

    /**
     * As {@link #createVersion(String, JsonNode)}; with {@code v1} (the request's {@code api-version} is {@code v1})
     * the definition is checked as the stable surface defines it (see {@link AgentDefinitions}).
     */
    public AgentVersion createVersion(String name, JsonNode body, boolean v1) {
        Limits.checkAgentName(name);
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", "Request body must be a JSON object with 'definition'", null);
        }
        // the spec's CreateAgentVersionRequest (createAgent's 'name' is taken off before)
        Strictness.checkFields(body, java.util.Set.of("definition", "description", "metadata"), null);
        ObjectNode definition = checkDefinition(body.get("definition"), v1);
        ObjectNode metadata = Limits.checkMetadata(body.get("metadata"), "metadata");
        JsonNode rawDescription = body.get("description");
        if (rawDescription != null && !rawDescription.isNull() && !rawDescription.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'description' must be a string", "description");
        }
        String description = rawDescription == null || rawDescription.isNull() ? "" : rawDescription.textValue();
        while (true) {
            Agent agent = agents.computeIfAbsent(name, n -> new Agent(n, sequence.incrementAndGet()));
            synchronized (agent) {
                if (agent.deleted) {
                    continue;
                }
                if (!agent.versions.isEmpty() && agent.latest().sameContent(definition, metadata, description)) {
                    return agent.latest();
                }
                AgentVersion version = AgentVersion.create(name, agent.nextVersion++, description, metadata,
                        definition, System.currentTimeMillis() / 1000);
                agent.versions.add(version);
                return version;
            }
        }
    }

    private ObjectNode checkDefinition(JsonNode definition, boolean v1) {
        if (definition == null || definition.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'definition' is required", "definition");
        }
        if (!definition.isObject()) {
            throw ApiException.badRequest("invalid_type", "'definition' must be an object", "definition");
        }
        String kind = AgentDefinitions.check(definition, v1);
        JsonNode model = definition.get("model");
        if ("prompt".equals(kind) && (model == null || model.isNull())) {
            throw ApiException.badRequest("missing_required_parameter",
                    "Missing required parameter: 'definition.model' (prompt agents name a model deployment).", "definition.model");
        }
        if (model != null && !model.isNull()) {
            if (!model.isTextual()) {
                throw ApiException.badRequest("invalid_type", "'definition.model' must be a string", "definition.model");
            }
            region.checkDeployment(model.textValue(), "definition.model");
        }
        JsonNode tools = definition.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw ApiException.badRequest("invalid_type", "'definition.tools' must be an array", "definition.tools");
            }
            if (tools.size() > Limits.MAX_TOOLS) {
                throw ApiException.badRequest("too_many_tools", "'definition.tools' has " + tools.size()
                        + " tools; the limit is " + Limits.MAX_TOOLS + " tools per agent", "definition.tools");
            }
        }
        return (ObjectNode) definition;
    }

    /** The {@code agent} object with its latest version. */
    public byte[] agentJson(String name) {
        Agent agent = agents.get(name);
        if (agent != null) {
            synchronized (agent) {
                if (!agent.deleted && !agent.versions.isEmpty()) {
                    return agentJson(name, agent.latest());
                }
            }
        }
        throw notFound(name);
    }

    private static byte[] agentJson(String name, AgentVersion latest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(latest.json().length + 96);
        ObjectNode head = Json.object();
        head.put("object", "agent");
        head.put("id", name);
        head.put("name", name);
        byte[] headBytes = Json.bytes(head);
        out.write(headBytes, 0, headBytes.length - 1);
        out.writeBytes(",\"versions\":{\"latest\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(latest.json());
        out.writeBytes("}}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Resolves an agent reference.
     *
     * @param version a version number, or null for the latest
     */
    public AgentVersion resolve(String name, String version) {
        Agent agent = agents.get(name);
        if (agent != null) {
            synchronized (agent) {
                if (!agent.deleted && !agent.versions.isEmpty()) {
                    if (version == null) {
                        return agent.latest();
                    }
                    int index = indexOf(agent, version);
                    if (index >= 0) {
                        return agent.versions.get(index);
                    }
                    throw versionNotFound(name, version);
                }
            }
        }
        throw notFound(name);
    }

    /** One version's {@code agent.version} object. */
    public byte[] versionJson(String name, String version) {
        return resolve(name, version).json();
    }

    /** Deletes one version; deleting the last version deletes the agent. */
    public byte[] deleteVersion(String name, String version) {
        Agent agent = agents.get(name);
        if (agent != null) {
            synchronized (agent) {
                if (!agent.deleted && !agent.versions.isEmpty()) {
                    int index = indexOf(agent, version);
                    if (index < 0) {
                        throw versionNotFound(name, version);
                    }
                    AgentVersion removed = agent.versions.remove(index);
                    if (agent.versions.isEmpty()) {
                        agent.deleted = true;
                        agents.remove(name, agent);
                    }
                    ObjectNode node = Json.object();
                    node.put("object", "agent.version.deleted");
                    node.put("name", name);
                    node.put("version", Integer.toString(removed.version()));
                    node.put("deleted", true);
                    return Json.bytes(node);
                }
            }
        }
        throw notFound(name);
    }

    /** Deletes an agent and all its versions. */
    public byte[] delete(String name) {
        Agent agent = agents.get(name);
        if (agent != null) {
            synchronized (agent) {
                if (!agent.deleted && !agent.versions.isEmpty()) {
                    agent.deleted = true;
                    agents.remove(name, agent);
                    ObjectNode node = Json.object();
                    node.put("object", "agent.deleted");
                    node.put("name", name);
                    node.put("deleted", true);
                    return Json.bytes(node);
                }
            }
        }
        throw notFound(name);
    }

    /** One agent as listed: its creation order and latest version. */
    private record Listed(String name, long sequence, AgentVersion latest) {
    }

    /** Lists agents (ordered by creation), optionally only those whose latest version has this kind. */
    public byte[] list(PageRequest page, String kind) {
        List<Listed> listed = new ArrayList<>();
        for (Agent agent : agents.values()) {
            synchronized (agent) {
                if (!agent.deleted && !agent.versions.isEmpty()
                        && (kind == null || kind.equals(agent.latest().kind()))) {
                    listed.add(new Listed(agent.name, agent.sequence, agent.latest()));
                }
            }
        }
        listed.sort(Comparator.comparingLong(Listed::sequence));
        Paging.Slice slice = Paging.slice(listed.size(), page, (cursor, param) -> {
            Agent agent = agents.get(cursor);
            if (agent == null) {
                throw ApiException.badRequest("invalid_value", "'" + param + "' names no agent: " + cursor, param);
            }
            int below = 0;
            while (below < listed.size() && listed.get(below).sequence() < agent.sequence) {
                below++;
            }
            boolean present = below < listed.size() && listed.get(below).sequence() == agent.sequence;
            return new Paging.Bounds(below, present ? below + 1 : below);
        });
        List<byte[]> data = new ArrayList<>(slice.size());
        List<String> ids = new ArrayList<>(slice.size());
        for (int k = 0; k < slice.size(); k++) {
            Listed entry = listed.get(page.ascending() ? slice.from() + k : slice.to() - 1 - k);
            data.add(agentJson(entry.name(), entry.latest()));
            ids.add(entry.name());
        }
        return ListWriter.write(data, ids.isEmpty() ? null : ids.get(0),
                ids.isEmpty() ? null : ids.get(ids.size() - 1), slice.hasMore());
    }

    /** Lists one agent's versions (ordered by version number). */
    public byte[] listVersions(String name, PageRequest page) {
        List<AgentVersion> versions;
        Agent agent = agents.get(name);
        if (agent == null) {
            throw notFound(name);
        }
        synchronized (agent) {
            if (agent.deleted || agent.versions.isEmpty()) {
                throw notFound(name);
            }
            versions = List.copyOf(agent.versions);
        }
        Paging.Slice slice = Paging.slice(versions.size(), page, (cursor, param) -> {
            int number = parseVersionCursor(name, cursor, param);
            int below = 0;
            while (below < versions.size() && versions.get(below).version() < number) {
                below++;
            }
            boolean present = below < versions.size() && versions.get(below).version() == number;
            return new Paging.Bounds(below, present ? below + 1 : below);
        });
        List<byte[]> data = new ArrayList<>(slice.size());
        List<String> ids = new ArrayList<>(slice.size());
        for (int k = 0; k < slice.size(); k++) {
            AgentVersion version = versions.get(page.ascending() ? slice.from() + k : slice.to() - 1 - k);
            data.add(version.json());
            ids.add(version.id());
        }
        return ListWriter.write(data, ids.isEmpty() ? null : ids.get(0),
                ids.isEmpty() ? null : ids.get(ids.size() - 1), slice.hasMore());
    }

    private static int parseVersionCursor(String name, String cursor, String param) {
        String number = cursor;
        if (cursor.startsWith(name + ":")) {
            number = cursor.substring(name.length() + 1);
        }
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_value", "'" + param + "' is not a version id of agent " + name
                    + " (expected '" + name + ":<n>'): " + cursor, param);
        }
    }

    private static int indexOf(Agent agent, String version) {
        try {
            return agent.indexOf(Integer.parseInt(version));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Agent " + name + " not found");
    }

    private static ApiException versionNotFound(String name, String version) {
        return ApiException.notFound("Agent " + name + " version " + version + " not found");
    }
}
