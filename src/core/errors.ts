// The one error type of Slipway: a discriminated kind, what it concerns, and a hint for the user.
// HTTP status and CLI exit code are derived from the kind here and nowhere else.

export type ErrorKind =
  | 'invalid_input'      // the request or a file in it is malformed
  | 'too_large'          // the request or a file in it is over one of Slipway's size limits
  | 'unauthorized'       // no or wrong token
  | 'forbidden'          // token valid, action not allowed
  | 'rate_limited'       // too many failed sign-ins or token uses: wait (Retry-After)
  | 'not_found'
  | 'conflict'           // already exists, or state does not allow it now
  | 'build_failed'       // the Dockerfile did not build
  | 'health_gate_failed' // the new version never became healthy: rolled back
  | 'rollout_timeout'    // our own deadline passed: rolled back
  | 'interrupted'        // Slipway stopped mid-way; repaired on the next start
  | 'cancelled'
  | 'dependency'         // an outside system (dockerd, registry, Caddy) failed
  | 'no_space'           // the disk holding Slipway's data is full
  | 'internal';

export interface ErrorDetails {
  /** The field, file or object the error concerns, e.g. `domain` or `Dockerfile`. */
  readonly field?: string;
  /** What the user can do about it. */
  readonly hint?: string;
  readonly cause?: unknown;
}

export class SlipwayError extends Error {
  readonly kind: ErrorKind;
  readonly field?: string;
  readonly hint?: string;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SlipwayError';
    this.kind = kind;
    this.field = details.field;
    this.hint = details.hint;
  }

  toJSON(): ErrorBody {
    return { error: { kind: this.kind, message: this.message, field: this.field, hint: this.hint } };
  }
}

export interface ErrorBody {
  error: { kind: ErrorKind; message: string; field?: string; hint?: string };
}

const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid_input: 400,
  too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  not_found: 404,
  conflict: 409,
  build_failed: 422,
  health_gate_failed: 422,
  rollout_timeout: 422,
  interrupted: 503,
  cancelled: 409,
  dependency: 502,
  no_space: 507,
  internal: 500,
};

const EXIT_CODE: Record<ErrorKind, number> = {
  invalid_input: 2,
  too_large: 2,
  unauthorized: 3,
  forbidden: 3,
  rate_limited: 3,
  not_found: 4,
  conflict: 5,
  build_failed: 6,
  health_gate_failed: 7,
  rollout_timeout: 7,
  interrupted: 8,
  cancelled: 9,
  dependency: 10,
  no_space: 11,
  internal: 1,
};

export function httpStatusOf(kind: ErrorKind): number {
  return HTTP_STATUS[kind];
}

export function exitCodeOf(kind: ErrorKind): number {
  return EXIT_CODE[kind];
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && value in HTTP_STATUS;
}

/** Error codes of a full disk: Node's file system calls and SQLite (better-sqlite3 keeps SQLite's code). */
const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/**
 * Wraps anything thrown into a SlipwayError, keeping the original as cause. A full disk is named as such wherever it
 * happens (upload, git receive, logs, database), so the user learns what to free instead of reading "internal".
 */
export function asSlipwayError(err: unknown, fallback: ErrorKind = 'internal'): SlipwayError {
  if (err instanceof SlipwayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (NO_SPACE_CODES.has(code)) {
    return new SlipwayError('no_space', `the disk is full: ${message}`, {
      cause: err,
      hint: 'free space on the filesystem of Slipway\'s data folder (SLIPWAY_DATA) and try again; the running version keeps serving',
    });
  }
  return new SlipwayError(fallback, message, { cause: err });
}
