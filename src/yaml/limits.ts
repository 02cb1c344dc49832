// Bounds on what one untrusted YAML file may cost to read: its size, its documents, its nesting and what its
// aliases expand to. Every reader (pipelines, compose files) gets the same limits through parseYaml.

/** Larger files are refused before parsing: no pipeline or compose file needs a megabyte of YAML. */
export const MAX_FILE_BYTES = 1_000_000;

/**
 * Values one FILE may expand to, all documents together, aliases counted each time they are used (a "billion
 * laughs" file must not exhaust memory). Per file, not per document: a file may hold hundreds of documents, and a
 * budget per document let a 990 KB file take ≈ 11 MiB of heap per document until Node aborted (issue 12).
 */
export const MAX_NODES = 100_000;

/** Documents one file may hold; Drone files put a few pipelines (and secrets) in one file, never hundreds. */
export const MAX_DOCUMENTS = 100;

/** Nesting of maps and lists, through aliases too. */
export const MAX_DEPTH = 64;

/** After the first YAML error the parser reports follow-on noise; the first one says what is wrong. */
export const MAX_YAML_ERRORS = 1;
