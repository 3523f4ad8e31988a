/** The {@code continuity} command: the CLI owns the console (progress, tables, JSON). */
package dev.continuity.cli;
