// The input of every YAML reader: one file of the repository, by path (which every finding names) and text.

export interface RepoFile {
  /** Path relative to the repository root, e.g. `.drone.yml` or `docker-compose.yml`. */
  readonly path: string;
  readonly text: string;
}
