// The sealer port: seals app secrets (and forge tokens) for the store and opens them for the code that needs them.
//
// Protocol:
// - seal(value) returns a self-describing string that only this sealer's key opens; two seals of one value differ.
// - open(sealed) returns the value wrapped in a Secret (so it never reaches a log by accident); it throws
//   SlipwayError internal, with one message whatever went wrong (wrong key or tampering), and never the value.
// Implemented by adapters/secrets/sealer.ts (AES-256-GCM, a key file in the data directory).

import type { Secret } from '../secret.js';

export interface Sealer {
  seal(value: string): string;
  /** SlipwayError internal if the value was sealed with another key or changed since. */
  open(sealed: string): Secret;
}
