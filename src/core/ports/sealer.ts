// The sealer port: seals app secrets (and forge tokens) for the store and opens them for the code that needs them.
//
// Protocol:
// - seal(value, context) returns a self-describing string that only this sealer's key opens, and only for the same
//   context (app, kind, name: the row and column it is stored in); two seals of one value differ.
// - open(sealed, context) returns the value wrapped in a Secret (so it never reaches a log by accident); it throws
//   SlipwayError internal, with one message whatever went wrong (wrong key, tampering, a value moved from another
//   row or column, an old unbound value not yet upgraded), and never the value.
// - upgrade(sealed, context) re-seals a value of an older format (v1, bound to nothing) for its context, or returns
//   null when it already is current. The composition root upgrades every stored value once at start (issue 12).
// Implemented by adapters/secrets/sealer.ts (AES-256-GCM, a key file in the data directory).

import type { Secret } from '../secret.js';

/** Where a sealed value is kept; it is bound to it (GCM additional data), so a copy elsewhere does not open. */
export type SealContext =
  | { readonly kind: 'secret' | 'config'; readonly app: string; readonly name: string }
  | { readonly kind: 'repo-token' | 'webhook-secret'; readonly app: string }
  // A user's TOTP secret: `app` is `user:<name>` (app names have no colon, so it never matches an app's value).
  | { readonly kind: 'totp-secret'; readonly app: string };

export const secretContext = (app: string, name: string): SealContext => ({ kind: 'secret', app, name });
/** An app's runtime config value (issue 14), in its desired config and in the releases that ran with it. */
export const configContext = (app: string, name: string): SealContext => ({ kind: 'config', app, name });
export const repoTokenContext = (app: string): SealContext => ({ kind: 'repo-token', app });
export const webhookSecretContext = (app: string): SealContext => ({ kind: 'webhook-secret', app });

/** For messages: which value it is, never the value. */
export function describeSealContext(c: SealContext): string {
  switch (c.kind) {
    case 'secret': return `secret ${c.name} of app ${c.app}`;
    case 'config': return `config value ${c.name} of app ${c.app}`;
    case 'repo-token': return `the repository access token of app ${c.app}`;
    case 'webhook-secret': return `the webhook secret of app ${c.app}`;
    case 'totp-secret': return `the TOTP secret of ${c.app}`;
  }
}

export interface Sealer {
  seal(value: string, context: SealContext): string;
  /** SlipwayError internal if the value was sealed with another key or for another context, or changed since. */
  open(sealed: string, context: SealContext): Secret;
  /** The value re-sealed for its context when it is in an older format, null when it is current; throws like open. */
  upgrade(sealed: string, context: SealContext): string | null;
}
