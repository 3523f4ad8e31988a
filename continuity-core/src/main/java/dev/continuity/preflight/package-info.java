/**
 * Preflight: checks that must pass before a region is rehydrated (deployments, connections, search
 * indexes). A {@link dev.continuity.preflight.PreflightCheck} reports
 * {@link dev.continuity.preflight.PreflightProblem}s; adapters (such as the Foundry module's parity
 * checks) implement it.
 */
package dev.continuity.preflight;
