/**
 * The one JSON configuration Continuity reads and writes user JSON with (definition files, topologies,
 * journal items, journal files, agent definitions sent to and read back from a service): numbers are kept
 * as the text they were written as, duplicate keys and strings that are not valid Unicode are refused
 * naming the JSON pointer. See {@link dev.continuity.json.ExactJson}.
 */
package dev.continuity.json;
