package dev.continuity.emulator.search.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** One emulated search service: its indexes and their documents, in memory. Thread-safe (one lock). */
public final class SearchService {

    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,127}");
    private static final Set<String> KEY_TYPES = Set.of("Edm.String");
    private static final Set<String> FIELD_TYPES = Set.of("Edm.String", "Edm.Int32", "Edm.Int64", "Edm.Double",
            "Edm.Boolean", "Edm.DateTimeOffset", "Edm.GeographyPoint", "Edm.ComplexType", "Edm.Single", "Edm.Half",
            "Edm.Int16", "Edm.SByte", "Edm.Byte");

    private final String name;
    private final Map<String, Index> indexes = new LinkedHashMap<>();
    private volatile boolean down;
    private long etags;

    /** A service with no indexes. */
    public SearchService(String name) {
        this.name = name;
    }

    /** The service name. */
    public String name() {
        return name;
    }

    /** Whether requests answer 503. */
    public boolean down() {
        return down;
    }

    /** Sets whether requests answer 503. */
    public void outage(boolean down) {
        this.down = down;
    }

    /** Creates an index; 409 when it exists. Returns the stored definition. */
    public synchronized ObjectNode create(ObjectNode definition) {
        String indexName = validate(definition, null);
        if (indexes.containsKey(indexName)) {
            throw new SearchException(409, "ResourceNameAlreadyInUse", "Cannot create index '" + indexName
                    + "' because it already exists.");
        }
        return store(indexName, definition).definition.deepCopy();
    }

    /** Creates or replaces an index definition (documents kept); {@code created[0]} tells which. */
    public synchronized ObjectNode createOrUpdate(String indexName, ObjectNode definition, boolean[] created) {
        validate(definition, indexName);
        Index existing = indexes.get(indexName);
        created[0] = existing == null;
        if (existing != null && !sameKey(existing.definition, definition)) {
            throw SearchException.badRequest("Index update not allowed because it would change the key field of index '"
                    + indexName + "'.");
        }
        Index stored = store(indexName, definition);
        if (existing != null) {
            stored.documents.putAll(existing.documents);
        }
        return stored.definition.deepCopy();
    }

    /** An index definition; 404 when there is none. */
    public synchronized ObjectNode get(String indexName) {
        return require(indexName).definition.deepCopy();
    }

    /** Every index definition. */
    public synchronized List<ObjectNode> list() {
        List<ObjectNode> all = new ArrayList<>();
        indexes.values().forEach(i -> all.add(i.definition.deepCopy()));
        return all;
    }

    /** Deletes an index; 404 when there is none. */
    public synchronized void delete(String indexName) {
        require(indexName);
        indexes.remove(indexName);
    }

    /** The number of documents; 404 when there is no such index. */
    public synchronized long count(String indexName) {
        return require(indexName).documents.size();
    }

    /**
     * Applies an indexing batch ({@code {"value":[{"@search.action":..}]}}) and returns the per-document
     * results; {@code allSucceeded[0]} is false when one failed (the service then answers 207).
     */
    public synchronized ArrayNode index(String indexName, JsonNode batch, boolean[] allSucceeded) {
        Index index = require(indexName);
        JsonNode actions = batch == null ? null : batch.get("value");
        if (actions == null || !actions.isArray() || actions.isEmpty()) {
            throw SearchException.badRequest("The request is invalid. Details: actions : No indexing actions found"
                    + " in the request. Please include between 1 and 32000 indexing actions in your request.");
        }
        String key = index.keyField;
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        allSucceeded[0] = true;
        int at = 0;
        for (JsonNode action : actions) {
            if (!action.isObject()) {
                throw SearchException.badRequest("value[" + at + "] is not an object");
            }
            String verb = action.path("@search.action").asText("upload");
            JsonNode keyValue = action.get(key);
            if (keyValue == null || !keyValue.isTextual() || keyValue.asText().isEmpty()) {
                throw SearchException.badRequest("The request is invalid. Details: value[" + at + "]: document key field '"
                        + key + "' is missing or not a non-empty string.");
            }
            String id = keyValue.asText();
            ObjectNode doc = ((ObjectNode) action).deepCopy();
            doc.remove("@search.action");
            for (Iterator<String> names = doc.fieldNames(); names.hasNext();) {
                String field = names.next();
                if (!index.fields.containsKey(field)) {
                    throw SearchException.badRequest("The request is invalid. Details: The property '" + field
                            + "' does not exist on type 'search.documentFields'. Make sure to only use property names"
                            + " that are defined by the type.");
                }
            }
            ObjectNode result = results.addObject().put("key", id);
            switch (verb) {
                case "upload" -> {
                    boolean isNew = index.documents.put(id, doc) == null;
                    ok(result, isNew ? 201 : 200);
                }
                case "mergeOrUpload" -> {
                    ObjectNode old = index.documents.get(id);
                    if (old == null) {
                        index.documents.put(id, doc);
                        ok(result, 201);
                    } else {
                        old.setAll(doc);
                        ok(result, 200);
                    }
                }
                case "merge" -> {
                    ObjectNode old = index.documents.get(id);
                    if (old == null) {
                        result.put("status", false).put("errorMessage", "Document not found.").put("statusCode", 404);
                        allSucceeded[0] = false;
                    } else {
                        old.setAll(doc);
                        ok(result, 200);
                    }
                }
                case "delete" -> {
                    index.documents.remove(id);
                    ok(result, 200);
                }
                default -> throw SearchException.badRequest("value[" + at + "]: unknown @search.action '" + verb
                        + "' (upload, merge, mergeOrUpload, delete)");
            }
            at++;
        }
        return results;
    }

    /** A document's retrievable fields by key; 404 when there is none. */
    public synchronized ObjectNode document(String indexName, String key) {
        Index index = require(indexName);
        ObjectNode doc = index.documents.get(key);
        if (doc == null) {
            throw new SearchException(404, "ResourceNotFound", "Document not found.");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        index.fields.forEach((f, retrievable) -> {
            if (retrievable && doc.has(f)) {
                out.set(f, doc.get(f).deepCopy());
            }
        });
        return out;
    }

    /** A search: case-insensitive substring over searchable string fields. */
    public synchronized ObjectNode search(String indexName, JsonNode request) {
        Index index = require(indexName);
        JsonNode body = request == null || request.isNull() ? JsonNodeFactory.instance.objectNode() : request;
        if (!body.isObject()) {
            throw SearchException.badRequest("the search request must be a JSON object");
        }
        String text = body.path("search").asText("*").trim();
        int top = intParam(body, "top", 50);
        int skip = intParam(body, "skip", 0);
        List<String> select = new ArrayList<>();
        if (body.hasNonNull("select") && !body.path("select").asText().isBlank()) {
            for (String s : body.path("select").asText().split(",")) {
                String f = s.trim();
                if (!index.fields.containsKey(f)) {
                    throw SearchException.badRequest("Invalid expression: Could not find a property named '" + f
                            + "' on type 'search.document'. Parameter name: $select");
                }
                select.add(f);
            }
        }
        String needle = text.equals("*") ? "" : text.toLowerCase(Locale.ROOT);
        List<ObjectNode> hits = new ArrayList<>();
        for (ObjectNode doc : index.documents.values()) {
            if (needle.isEmpty() || matches(index, doc, needle)) {
                hits.add(doc);
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (body.path("count").asBoolean(false)) {
            out.put("@odata.count", hits.size());
        }
        ArrayNode value = out.putArray("value");
        int from = Math.min(skip, hits.size());
        int to = (int) Math.min(hits.size(), (long) from + top);
        for (ObjectNode doc : hits.subList(from, to)) {
            ObjectNode row = value.addObject();
            row.put("@search.score", 1.0);
            if (select.isEmpty()) {
                index.fields.forEach((f, retrievable) -> {
                    if (retrievable && doc.has(f)) {
                        row.set(f, doc.get(f).deepCopy());
                    }
                });
            } else {
                select.forEach(f -> {
                    if (doc.has(f)) {
                        row.set(f, doc.get(f).deepCopy());
                    }
                });
            }
        }
        return out;
    }

    private static int intParam(JsonNode body, String field, int dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
            throw SearchException.badRequest("'" + field + "' must be a non-negative integer, not " + n);
        }
        return n.asInt();
    }

    private static boolean matches(Index index, ObjectNode doc, String needle) {
        for (String f : index.searchable) {
            JsonNode v = doc.get(f);
            if (v == null) {
                continue;
            }
            if (v.isTextual() && v.asText().toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
            if (v.isArray()) {
                for (JsonNode e : v) {
                    if (e.isTextual() && e.asText().toLowerCase(Locale.ROOT).contains(needle)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void ok(ObjectNode result, int status) {
        result.put("status", true).putNull("errorMessage");
        result.put("statusCode", status);
    }

    private Index require(String indexName) {
        Index index = indexes.get(indexName);
        if (index == null) {
            throw SearchException.indexNotFound(indexName);
        }
        return index;
    }

    private Index store(String indexName, ObjectNode definition) {
        ObjectNode stored = definition.deepCopy();
        stored.put("name", indexName);
        stored.put("@odata.etag", "\"0x" + Long.toHexString(0x8D000000000L + ++etags).toUpperCase(Locale.ROOT) + "\"");
        Index index = new Index(stored);
        indexes.put(indexName, index);
        return index;
    }

    private static boolean sameKey(ObjectNode a, ObjectNode b) {
        return keyOf(a).equals(keyOf(b));
    }

    private static String keyOf(JsonNode definition) {
        for (JsonNode f : definition.path("fields")) {
            if (f.path("key").asBoolean(false)) {
                return f.path("name").asText();
            }
        }
        return "";
    }

    private static String validate(JsonNode definition, String pathName) {
        if (definition == null || !definition.isObject()) {
            throw SearchException.badRequest("The request is invalid. Details: index : the index definition must be a JSON object.");
        }
        String indexName = definition.path("name").asText(null);
        if (pathName != null) {
            if (indexName != null && !indexName.equals(pathName)) {
                throw SearchException.badRequest("The index name '" + indexName + "' in the body does not match the name '"
                        + pathName + "' in the URL.");
            }
            indexName = pathName;
        }
        if (indexName == null || !INDEX_NAME.matcher(indexName).matches()) {
            throw SearchException.badRequest("The request is invalid. Details: index : Invalid index name '" + indexName
                    + "'. Index names must be lower-case letters, digits or dashes, start with a letter or digit, and be"
                    + " at most 128 characters.");
        }
        JsonNode fields = definition.get("fields");
        if (fields == null || !fields.isArray() || fields.isEmpty()) {
            throw SearchException.badRequest("The request is invalid. Details: index '" + indexName
                    + "': the index must have at least one field.");
        }
        int keys = 0;
        Set<String> seen = new java.util.HashSet<>();
        int at = 0;
        for (JsonNode f : fields) {
            String fname = f.path("name").asText("");
            String type = f.path("type").asText("");
            if (fname.isEmpty()) {
                throw SearchException.badRequest("index '" + indexName + "': fields[" + at + "] has no name");
            }
            if (!seen.add(fname)) {
                throw SearchException.badRequest("index '" + indexName + "': field '" + fname + "' is defined twice");
            }
            String base = type.startsWith("Collection(") && type.endsWith(")")
                    ? type.substring("Collection(".length(), type.length() - 1) : type;
            if (!FIELD_TYPES.contains(base)) {
                throw SearchException.badRequest("index '" + indexName + "': field '" + fname + "' has unknown type '"
                        + type + "'");
            }
            if (f.path("key").asBoolean(false)) {
                keys++;
                if (!KEY_TYPES.contains(type)) {
                    throw SearchException.badRequest("index '" + indexName + "': key field '" + fname
                            + "' must be of type Edm.String, not " + type);
                }
            }
            at++;
        }
        if (keys != 1) {
            throw SearchException.badRequest("The request is invalid. Details: index '" + indexName
                    + "' must have exactly one key field, found " + keys + ".");
        }
        return indexName;
    }

    /** One index: definition, top-level field names (to retrievable), searchable string fields, documents. */
    private static final class Index {
        final ObjectNode definition;
        final String keyField;
        final Map<String, Boolean> fields = new LinkedHashMap<>();
        final List<String> searchable = new ArrayList<>();
        final Map<String, ObjectNode> documents = new LinkedHashMap<>();

        Index(ObjectNode definition) {
            this.definition = definition;
            this.keyField = keyOf(definition);
            for (JsonNode f : definition.path("fields")) {
                String n = f.path("name").asText();
                fields.put(n, f.path("retrievable").asBoolean(true) && !f.path("hidden").asBoolean(false));
                String type = f.path("type").asText();
                if (f.path("searchable").asBoolean(type.equals("Edm.String") || type.equals("Collection(Edm.String)"))
                        && (type.equals("Edm.String") || type.equals("Collection(Edm.String)"))) {
                    searchable.add(n);
                }
            }
        }
    }
}
