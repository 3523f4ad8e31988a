package dev.continuity.cosmos;

/**
 * The Cosmos DB requests a journal made so far: every point read, batch, item write and query page
 * counts as one (the SDK's own metadata requests, such as query plans, are not included).
 *
 * @param requests requests made
 * @param requestCharge request units (RU) the service charged for them
 */
public record CosmosRequestStats(long requests, double requestCharge) {

    /** The requests made between {@code earlier} and this snapshot. */
    public CosmosRequestStats since(CosmosRequestStats earlier) {
        return new CosmosRequestStats(requests - earlier.requests, requestCharge - earlier.requestCharge);
    }
}
