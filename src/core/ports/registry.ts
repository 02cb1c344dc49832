// The registry port: where built images go, and the one place tags become digests.
//
// Protocol:
// - resolveDigest asks the registry itself (HEAD manifest with the OCI and Docker manifest media types in
//   Accept), so the digest is the one every node will pull. The Engine API never resolves tags for us.
// - credentials are what dockerd needs to push and what Swarm needs (X-Registry-Auth) to pull on every node.

import type { Secret } from '../secret.js';

export interface RegistryCredentials {
  /** host:port as it appears in image references, e.g. 127.0.0.1:5000. */
  readonly serveraddress: string;
  readonly username: string;
  readonly password: Secret;
}

export interface RegistryPort {
  readonly address: string;
  credentials(): RegistryCredentials;
  /** sha256:… of repository:tag; SlipwayError not_found if the tag does not exist. */
  resolveDigest(repository: string, tag: string): Promise<string>;
}
