package dev.continuity.rehydrate;

import java.util.List;
import java.util.Objects;

/**
 * This instance's part of a conversations phase shared through leases ({@link WorkSharing}); {@link #NONE} when the
 * phase was not shared.
 *
 * @param instance this instance's name in the leases
 * @param run the run it joined (the instances that rehydrated together name the same run)
 * @param chunks chunks of the listing this instance claimed first
 * @param takenOver chunks it took over from an instance whose lease had expired
 * @param lost chunks whose lease another instance took while this one still worked on them (it stopped starting their
 *     conversations)
 * @param conversations conversations this instance visited (each chunk's, taken-over ones included; not those of a
 *     chunk it lost or released before handing them to a worker)
 * @param takenOverFrom the instances whose chunks it took over, each once (at most {@value #MAX_LISTED_OWNERS})
 */
public record WorkShare(String instance, String run, long chunks, long takenOver, long lost, long conversations,
        List<String> takenOverFrom) {

    /** At most this many previous owners are listed. */
    public static final int MAX_LISTED_OWNERS = 16;

    /** Not shared. */
    public static final WorkShare NONE = new WorkShare("", "", 0, 0, 0, 0, List.of());

    /** Validates and copies. */
    public WorkShare {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(run, "run");
        takenOverFrom = List.copyOf(takenOverFrom);
    }
}
