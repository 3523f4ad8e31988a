/**
 * The Azure Cosmos DB turn journal: {@link dev.continuity.cosmos.CosmosTurnJournal} stores every
 * conversation turn in one container partitioned by conversation key, one transactional batch per
 * write; {@link dev.continuity.cosmos.CosmosJournalProvisioner} creates (or checks) that container;
 * {@link dev.continuity.cosmos.WarmStandby} follows the container's change feed and keeps a standby
 * region's conversations replayed, so a failover replays only the unreplicated tail.
 * See {@code docs/cosmos.md} for the data model, request costs and the RPO of each consistency level.
 */
package dev.continuity.cosmos;
