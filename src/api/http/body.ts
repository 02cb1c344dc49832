// Request bodies: JSON parsed strictly (a malformed body is an error, never an empty object).

import { SlipwayError } from '../../core/errors.js';

export async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SlipwayError('invalid_input', 'the request body is not valid JSON', { hint: 'send a JSON object, e.g. {"name":"hello","domain":"hello.example.com"}' });
  }
}
