// Where the CLI finds its server and token: SLIPWAY_URL / SLIPWAY_TOKEN, else the file `slipway login` writes.

import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { SlipwayError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import type { CliIO } from './command.js';

export interface CliConfig {
  /** Base URL of the Slipway server, without a trailing slash. */
  readonly url: string;
  readonly token: Secret;
}

const LOGIN_HINT = 'run "slipway login <url> --token <token>", or set SLIPWAY_URL and SLIPWAY_TOKEN';

/** `$XDG_CONFIG_HOME/slipway/cli.json`, falling back to `~/.config/slipway/cli.json`. */
export function cliConfigPath(io: CliIO): string {
  const xdg = io.env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(io.env.HOME ?? homedir(), '.config');
  return join(base, 'slipway', 'cli.json');
}

/** Each of url and token comes from its environment variable if set, else from the config file. */
export async function loadCliConfig(io: CliIO): Promise<CliConfig> {
  const envUrl = nonEmpty(io.env.SLIPWAY_URL);
  const envToken = nonEmpty(io.env.SLIPWAY_TOKEN);
  const file = envUrl !== undefined && envToken !== undefined ? {} : await readConfigFile(cliConfigPath(io));
  const url = envUrl ?? file.url;
  const token = envToken ?? file.token;
  if (url === undefined) {
    throw new SlipwayError('invalid_input', 'no Slipway server configured', { field: 'SLIPWAY_URL', hint: LOGIN_HINT });
  }
  if (token === undefined) {
    throw new SlipwayError('unauthorized', `no token for Slipway at ${url}`, { field: 'SLIPWAY_TOKEN', hint: LOGIN_HINT });
  }
  return { url: normalizeUrl(url), token: new Secret(token) };
}

/** Writes the config file readable by its owner only (0600), replacing it atomically. */
export async function saveCliConfig(io: CliIO, config: CliConfig): Promise<string> {
  const path = cliConfigPath(io);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const body = JSON.stringify({ url: normalizeUrl(config.url), token: config.token.reveal() }, null, 2) + '\n';
  await writeFile(temp, body, { mode: 0o600 });
  // writeFile's mode is filtered by the umask; the token file must be 0600 whatever the umask is.
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}

/** `http(s)://host[:port][/prefix]` without a trailing slash; anything else is invalid_input. */
export function normalizeUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') {
    throw new SlipwayError('invalid_input', `invalid Slipway URL ${JSON.stringify(value)}`, {
      field: 'url',
      hint: 'give the server address with its scheme, e.g. https://slipway.example.com or http://127.0.0.1:7070',
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

async function readConfigFile(path: string): Promise<{ url?: string; token?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new SlipwayError('invalid_input', `cannot read ${path}`, { field: path, cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SlipwayError('invalid_input', `${path} is not valid JSON`, { field: path, hint: LOGIN_HINT, cause: err });
  }
  if (typeof data !== 'object' || data === null) {
    throw new SlipwayError('invalid_input', `${path} must hold {"url": …, "token": …}`, { field: path, hint: LOGIN_HINT });
  }
  const record = data as Record<string, unknown>;
  return { url: stringField(record.url), token: stringField(record.token) };
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
