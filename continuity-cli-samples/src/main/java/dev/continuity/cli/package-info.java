/** placeholder */
package dev.continuity.cli;
