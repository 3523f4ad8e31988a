/** placeholder */
package dev.continuity.cosmos;
