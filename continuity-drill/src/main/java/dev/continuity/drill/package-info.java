/** The failover drill: two regions, live traffic, an outage, failover, rehydration, verification, failback. */
package dev.continuity.drill;
