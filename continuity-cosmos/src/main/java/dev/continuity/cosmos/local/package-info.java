/**
 * The repository's local Cosmos DB compatible test server ({@code continuity-cosmos/cosmos-server}) as a
 * child process: used by this module's tests, by {@code continuity drill --store cosmos}, and usable in
 * users' own CI. It is a test server, not a production store (see docs/cosmos.md for what it cannot show).
 */
package dev.continuity.cosmos.local;
