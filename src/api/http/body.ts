// Request bodies and queries: read up to a size limit, JSON parsed strictly (a malformed body is an error, never an
// empty object), then checked against the route's schema (http/schemas.ts); the first problem becomes one
// invalid_input error naming its field.

import { z } from 'zod';
import { SlipwayError } from '../../core/errors.js';

/**
 * Every JSON body of the API. The largest is a secret's value (`slipway secrets set`, from stdin): a certificate
 * bundle or a cloud service-account key is a few KiB, and a step gets it as an environment variable, which Linux caps
 * at 128 KiB; 1 MiB holds that several times over, JSON-escaped.
 */
export const MAX_JSON_BYTES = 1024 * 1024;

export async function jsonBody(req: Request, max = MAX_JSON_BYTES): Promise<unknown> {
  const text = new TextDecoder().decode(await limitedBody(req, max, 'the request body', 'JSON bodies of the API are small; a secret\'s value, the largest, fits easily'));
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SlipwayError('invalid_input', 'the request body is not valid JSON', { hint: 'send a JSON object, e.g. {"name":"hello","domain":"hello.example.com"}' });
  }
}

/**
 * The raw body, refused with too_large (413) past `max` bytes: a declared length is checked before anything is read,
 * and reading stops (the stream is cancelled) at the first chunk past the limit, so no more than `max` plus one chunk
 * is ever held, whatever the client sends.
 */
export async function limitedBody(req: Request, max: number, what: string, hint: string): Promise<Uint8Array> {
  const tooLarge = () => new SlipwayError('too_large', `${what} is larger than ${sizeText(max)}`, { hint });
  if (Number(req.headers.get('content-length') ?? 0) > max) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body ?? []) {
    size += chunk.byteLength;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sizeText(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

/** The body as the schema types it; `what` says what it is in messages ("the request body", "the query"). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'the request body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw inputError(result.error.issues[0], what);
}

/** A schema's field checked by one of Slipway's own parsers (core/names.ts): its message, field and hint are kept. */
export function checkedBy<T>(parse: (value: unknown) => T): z.ZodType<T, unknown> {
  return z.unknown().transform((value, ctx) => {
    try {
      return parse(value);
    } catch (err) {
      if (!(err instanceof SlipwayError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, params: { hint: err.hint, field: err.field } });
      return z.NEVER;
    }
  });
}

function inputError(issue: z.core.$ZodIssue | undefined, what: string): SlipwayError {
  if (issue === undefined) return new SlipwayError('invalid_input', `${what} is invalid`);
  const path = issue.path.map(String).join('.');
  const where = path === '' ? what : `${JSON.stringify(path)} in ${what}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const field = path === '' ? key : `${path}.${key}`;
      return new SlipwayError('invalid_input', `unknown field ${JSON.stringify(field)} in ${what}`, {
        field, hint: `leave ${issue.keys.length > 1 ? `out ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : 'it out'}; see the API reference in core/api.ts`,
      });
    }
    case 'invalid_type':
      return new SlipwayError('invalid_input', `invalid ${where}: expected ${expectedOf(issue.expected)}`, { field: path || undefined });
    case 'custom': {
      const params = (issue.params ?? {}) as { hint?: string; field?: string };
      return new SlipwayError('invalid_input', issue.message, { field: path || params.field, ...(params.hint ? { hint: params.hint } : {}) });
    }
    default:
      return new SlipwayError('invalid_input', `invalid ${where}: ${issue.message}`, { field: path || undefined });
  }
}

function expectedOf(expected: string): string {
  if (expected === 'object') return 'a JSON object';
  if (expected === 'int') return 'a whole number';
  return `a ${expected}`;
}
