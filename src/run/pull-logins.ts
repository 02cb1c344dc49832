// Registry logins for pulling a pipeline's images, from the secrets its image_pull_secrets names (Drone). Each such
// secret holds a Docker config JSON, as `docker login` writes ~/.docker/config.json: { "auths": { host: { auth } } }
// with auth = base64("user:password"), or username and password fields.

import { SlipwayError } from '../core/errors.js';
import type { PipelinePlan } from '../core/plan.js';
import type { RegistryCredentials } from '../core/ports/registry.js';
import { Secret } from '../core/secret.js';

export function pullLoginsOf(pipeline: PipelinePlan, secrets: Readonly<Record<string, string>>, app: string): RegistryCredentials[] {
  const logins: RegistryCredentials[] = [];
  for (const name of pipeline.pullSecrets ?? []) {
    const value = secrets[name];
    if (value === undefined) {
      throw new SlipwayError('invalid_input', `pipeline ${pipeline.name} pulls with secret ${name} (image_pull_secrets), which is not available`, {
        field: name,
        hint: `set it to your Docker config JSON: \`slipway secrets set ${app} ${name} < ~/.docker/config.json\`; pull requests from forks never get secrets`,
      });
    }
    logins.push(...parseDockerConfig(value, name));
  }
  return logins;
}

/** The logins of one Docker config JSON; the error never quotes the value (it is a secret). */
export function parseDockerConfig(text: string, secretName: string): RegistryCredentials[] {
  const invalid = (why: string) =>
    new SlipwayError('invalid_input', `secret ${secretName} named in image_pull_secrets is not a Docker config JSON: ${why}`, {
      field: secretName,
      hint: 'store the JSON `docker login` writes to ~/.docker/config.json, e.g. {"auths":{"registry.example.com":{"auth":"<base64 of user:password>"}}}',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('it does not parse as JSON');
  }
  const auths = isRecord(parsed) ? parsed.auths : undefined;
  if (!isRecord(auths)) throw invalid('it has no "auths" object');
  const logins: RegistryCredentials[] = [];
  for (const [host, entry] of Object.entries(auths)) {
    if (!isRecord(entry)) throw invalid(`the entry for ${host} is not an object`);
    const pair = loginOf(entry);
    if (pair === null) throw invalid(`the entry for ${host} has neither "auth" nor "username" and "password" (a credential helper's entry cannot be used)`);
    logins.push({ serveraddress: host, username: pair.username, password: new Secret(pair.password) });
  }
  return logins;
}

function loginOf(entry: Record<string, unknown>): { username: string; password: string } | null {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon <= 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') return { username: entry.username, password: entry.password };
  return null;
}

/**
 * What must be masked besides a secret's whole value: for a Docker config JSON, each entry's auth string and its
 * password, which a step could print on their own (`jq .auths`, `base64 -d`). Anything else: nothing more.
 */
export function credentialParts(value: string): string[] {
  if (!value.includes('"auths"')) return [];
  try {
    return parseDockerConfig(value, '').flatMap((l) => {
      const password = l.password.reveal();
      return [password, Buffer.from(`${l.username}:${password}`).toString('base64')];
    }).filter((part) => part.length >= 4);
  } catch {
    return [];
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
