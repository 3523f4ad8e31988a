package dev.continuity.topology;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The regions a deployment runs in, with each region's bindings of logical resources.
 *
 * @param source the file it was read from, or null when built in code
 * @param regions regions by name, in file order
 */
public record Topology(Path source, Map<String, Region> regions) {

    /** Copies the map. */
    public Topology {
        regions = regions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(regions));
    }

    /** A region by name. */
    public Optional<Region> region(String name) {
        return Optional.ofNullable(regions.get(name));
    }

    /**
     * A region by name.
     *
     * @throws IllegalArgumentException naming the region and the topology's regions when there is none
     */
    public Region requireRegion(String name) {
        Region region = regions.get(name);
        if (region == null) {
            throw new IllegalArgumentException("region '" + name + "' is not in the topology"
                    + (source == null ? "" : " " + source) + " (regions: " + String.join(", ", regions.keySet()) + ")");
        }
        return region;
    }

    /** The primary region, when there is one (a loaded topology always has exactly one). */
    public Optional<Region> primary() {
        return regions.values().stream().filter(r -> r.role() == RegionRole.PRIMARY).findFirst();
    }

    /** The secondary regions, in file order. */
    public List<Region> secondaries() {
        return regions.values().stream().filter(r -> r.role() == RegionRole.SECONDARY)
                .collect(Collectors.toUnmodifiableList());
    }
}
