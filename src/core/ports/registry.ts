// The registry port: where built images go, and the one place tags become digests.
//
// Protocol (checked by src/adapters/registry/registry.conformance.ts on the fake and on the real registry):
// - address is host:port exactly as it appears in image references (`<address>/<repository>:<tag>`): no scheme,
//   no path. credentials() is what dockerd needs to push and what Swarm needs (X-Registry-Auth) to pull on every
//   node; its serveraddress is that same address. Both are cheap and make no request.
// - Call order: dockerd pushes `<address>/<repository>:<tag>` with credentials(), then resolveDigest(repository,
//   tag) pins it. The Engine API never resolves tags for us.
// - resolveDigest asks the registry itself on every call (HEAD manifest with the OCI and Docker manifest media
//   types in Accept; nothing cached), so the digest is the one every node will pull: `sha256:` + 64 hex digits,
//   the same on every call until the tag is pushed again, and then the new one.
// - Errors (always SlipwayError, never carrying the password):
//   invalid_input (field repository|tag) for a name the distribution grammar refuses, before any request;
//   not_found (field tag) when the repository or the tag does not exist;
//   dependency (field credentials) when the registry refuses the credentials;
//   dependency when it is unreachable, too slow, or answers anything else.

import type { Secret } from '../secret.js';

export interface RegistryCredentials {
  /** host:port as it appears in image references, e.g. 127.0.0.1:5000. */
  readonly serveraddress: string;
  readonly username: string;
  readonly password: Secret;
}

export interface RegistryPort {
  /** host:port as it appears in image references, e.g. 127.0.0.1:5000. */
  readonly address: string;
  credentials(): RegistryCredentials;
  /** sha256:… of repository:tag (repository without the address, e.g. apps/web); errors as in the protocol. */
  resolveDigest(repository: string, tag: string): Promise<string>;
}
