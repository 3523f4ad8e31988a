package dev.continuity.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The last document count and field list {@code dev.continuity.foundry.SearchIndexParity} (in
 * continuity-foundry) saw for each logical search index in the primary region, so parity can still be
 * checked when the primary is dark. Immutable; persist it with {@link #toJson()} and read it back with
 * {@link #fromJson(String)}:
 *
 * <pre>{@code
 * {"indexes":{"product-catalog":{"region":"eastus2","documents":1200,"observed_at":"2026-11-21T10:00:00Z",
 *                                "fields":["id:Edm.String:key","name:Edm.String"]}}}
 * }</pre>
 *
 * @param indexes logical index name to what was last seen
 */
public record SearchIndexCounts(Map<String, Recorded> indexes) {

    /** No recorded counts. */
    public static final SearchIndexCounts NONE = new SearchIndexCounts(Map.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the map (keeping order). */
    public SearchIndexCounts {
        indexes = indexes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(indexes));
    }

    /**
     * What was last seen of one logical index.
     *
     * @param region the region it was read in (the primary)
     * @param documents the document count
     * @param observedAt when it was read
     * @param fields the fields as {@code name:type} or {@code name:type:key}, nested as {@code parent/child}
     */
    public record Recorded(String region, long documents, Instant observedAt, List<String> fields) {
        /** Validates and copies. */
        public Recorded {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(observedAt, "observedAt");
            if (documents < 0) {
                throw new IllegalArgumentException("documents must be >= 0, not " + documents);
            }
            fields = fields == null ? List.of() : List.copyOf(fields);
        }
    }

    /** What was last seen of a logical index. */
    public Optional<Recorded> get(String logicalIndex) {
        return Optional.ofNullable(indexes.get(logicalIndex));
    }

    /** A copy with one logical index's record replaced. */
    public SearchIndexCounts with(String logicalIndex, Recorded recorded) {
        Map<String, Recorded> copy = new LinkedHashMap<>(indexes);
        copy.put(Objects.requireNonNull(logicalIndex, "logicalIndex"), Objects.requireNonNull(recorded, "recorded"));
        return new SearchIndexCounts(copy);
    }

    /** As JSON (the form {@link #fromJson} reads). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode all = root.putObject("indexes");
        indexes.forEach((name, r) -> {
            ObjectNode o = all.putObject(name);
            o.put("region", r.region()).put("documents", r.documents()).put("observed_at", r.observedAt().toString());
            r.fields().forEach(o.putArray("fields")::add);
        });
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write search index counts: " + e.getMessage(), e);
        }
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException naming the index and field that is missing or malformed
     */
    public static SearchIndexCounts fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(Objects.requireNonNull(json, "json"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("search index counts are not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode all = root == null ? null : root.get("indexes");
        if (all == null || !all.isObject()) {
            throw new IllegalArgumentException("search index counts need an object 'indexes'");
        }
        Map<String, Recorded> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "/indexes/" + e.getKey();
            JsonNode o = e.getValue();
            JsonNode region = o.get("region");
            JsonNode documents = o.get("documents");
            JsonNode observed = o.get("observed_at");
            if (region == null || !region.isTextual()) {
                throw new IllegalArgumentException(at + "/region must be a string");
            }
            if (documents == null || !documents.canConvertToLong() || !documents.isIntegralNumber()
                    || documents.asLong() < 0) {
                throw new IllegalArgumentException(at + "/documents must be a non-negative integer");
            }
            Instant when;
            try {
                when = Instant.parse(observed == null ? "" : observed.asText());
            } catch (DateTimeParseException ex) {
                throw new IllegalArgumentException(at + "/observed_at must be an ISO-8601 instant, not " + observed, ex);
            }
            List<String> fields = new ArrayList<>();
            for (JsonNode f : o.path("fields")) {
                fields.add(f.asText());
            }
            out.put(e.getKey(), new Recorded(region.asText(), documents.asLong(), when, fields));
        }
        return new SearchIndexCounts(out);
    }
}
