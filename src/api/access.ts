// Wiring of access control for one server: the failure limiter shared by sign-ins and token uses, the
// authenticator, and the user operations (issue 12).

import type { Sealer } from '../core/ports/sealer.js';
import type { Store } from '../core/ports/store.js';
import { Authenticator } from './auth.js';
import type { KdfParams } from './password.js';
import { DEFAULT_LIMITS, FailureLimiter, type LimitOptions } from './rate-limit.js';
import { UserOps } from './users.js';

export interface Access {
  readonly auth: Authenticator;
  readonly users: UserOps;
  /** Where the guard reports a route without a rule. */
  readonly warn: (line: string) => void;
}

export function createAccess(d: {
  readonly store: Store;
  readonly sealer: Pick<Sealer, 'seal' | 'open'>;
  readonly warn: (line: string) => void;
  readonly now?: () => Date;
  readonly limits?: Partial<LimitOptions>;
  readonly kdf?: KdfParams;
}): Access {
  const now = d.now ?? (() => new Date());
  const limiter = new FailureLimiter({ ...DEFAULT_LIMITS, now: () => now().getTime(), ...d.limits });
  return {
    auth: new Authenticator(d.store, { limiter, now }),
    users: new UserOps({ store: d.store, sealer: d.sealer, limiter, now, ...(d.kdf !== undefined && { kdf: d.kdf }) }),
    warn: d.warn,
  };
}
