/**
 * Knowledge rebinding: the files of a logical knowledge source live in Blob Storage (their source of
 * truth, {@link dev.continuity.topology.BlobSource}); {@link dev.continuity.knowledge.FileKnowledgeSync}
 * makes each region's vector store hold them (idempotent, incremental, manifest kept in the region's
 * vector store), and {@link dev.continuity.knowledge.KnowledgeResolver} hands the synced store ids to
 * the deployer, so an agent recreated in a standby region answers from the same sources.
 */
package dev.continuity.knowledge;
