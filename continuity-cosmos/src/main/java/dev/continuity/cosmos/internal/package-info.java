/**
 * Implementation of the Cosmos DB journal: the container layout, the document codec, the client
 * gateways and the per-process write cache. Not an API: types here may change without notice.
 */
package dev.continuity.cosmos.internal;
