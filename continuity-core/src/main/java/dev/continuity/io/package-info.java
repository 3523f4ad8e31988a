/**
 * Reading user-supplied folders and files safely: {@link dev.continuity.io.ContainedRoot} is the one
 * path-containment rule (a folder whose files are read only from inside it; logical names checked before
 * they become folder names), {@link dev.continuity.io.PathRefusedException} names the refused file, and
 * {@link dev.continuity.io.Utf8Text} decodes strict UTF-8 with the byte offset and line of the first
 * invalid byte.
 */
package dev.continuity.io;
