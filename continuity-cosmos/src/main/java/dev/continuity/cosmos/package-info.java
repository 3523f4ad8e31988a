/**
 * The Azure Cosmos DB turn journal: {@link dev.continuity.cosmos.CosmosTurnJournal} stores every
 * conversation turn in one container partitioned by conversation key, one transactional batch per
 * write; {@link dev.continuity.cosmos.CosmosJournalProvisioner} creates (or checks) that container.
 * See {@code docs/cosmos.md} for the data model, request costs and the RPO of each consistency level.
 */
package dev.continuity.cosmos;
