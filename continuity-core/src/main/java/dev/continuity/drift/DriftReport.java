package dev.continuity.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Objects;

/**
 * Drift of every region checked: plain records, serializable with Jackson ({@link #toJson()},
 * {@link #fromJson(String)}).
 *
 * @param checkedAt when the check ran (ISO-8601)
 * @param regions one entry per region, in topology order
 */
public record DriftReport(String checkedAt, List<RegionDrift> regions) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Validates and copies. */
    public DriftReport {
        Objects.requireNonNull(checkedAt, "checkedAt");
        regions = List.copyOf(regions);
    }

    /** True when any region has a finding. */
    public boolean hasDrift() {
        return regions.stream().anyMatch(r -> !r.findings().isEmpty());
    }

    /** True when any region could not be (fully) checked. */
    public boolean hasErrors() {
        return regions.stream().anyMatch(r -> r.status() == RegionDrift.Status.ERROR);
    }

    /** Every finding of every region. */
    public List<DriftFinding> findings() {
        return regions.stream().flatMap(r -> r.findings().stream()).toList();
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("drift report not serializable", e);
        }
    }

    /** Reads a report written by {@link #toJson()}. */
    public static DriftReport fromJson(String json) {
        try {
            return JSON.readValue(json, DriftReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a drift report: " + e.getOriginalMessage(), e);
        }
    }
}
