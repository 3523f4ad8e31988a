/**
 * The failover drill as a JUnit 5 extension around an application's own code: {@link
 * dev.continuity.drill.junit.RegionOutageDrill} starts the emulated regions and deploys the application's agents,
 * hands the test {@link dev.continuity.drill.junit.DrillRegions} and an {@link dev.continuity.drill.junit.Outage},
 * and fails the test when the measured RTO or RPO breaks the declared bound (docs/testing-your-dr.md).
 */
package dev.continuity.drill.junit;
