/** Implementation details shared by the journal implementations; not part of the public API. */
package dev.continuity.journal.spi;
