// Reads a webhook delivery from a forge (GitHub, GitLab, Gitea/Forgejo): which forge sent it, whether it proves
// the app's webhook secret, and what happened (a push, a pull request) in Slipway's terms. Pure: no I/O.
//
// Proof per forge:
// - GitHub: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(secret, raw body);
// - Gitea / Forgejo: X-Gitea-Signature / X-Forgejo-Signature = hex HMAC-SHA256(secret, raw body) (they also send
//   GitHub's headers, so they are recognised first);
// - GitLab: X-Gitlab-Token = the secret itself (GitLab has no body signature for project hooks).
// Every comparison is constant-time.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { SlipwayError } from '../../core/errors.js';

import type { ForgeKind } from '../../core/ports/store.js';

export type Forge = ForgeKind;

/** A delivery's headers, lower-case names. */
export type Headers = Readonly<Record<string, string | undefined>>;

export interface Delivery {
  readonly forge: Forge;
  /** The forge's event name: "push", "pull_request", "Push Hook", "Merge Request Hook", "ping", … */
  readonly event: string;
}

/** What a delivery asks Slipway to do. */
export type ForgeEvent =
  | {
      readonly kind: 'push';
      /** refs/heads/<branch> or refs/tags/<tag>. */
      readonly ref: string;
      readonly commit: string;
      /** The ref was deleted: nothing to run. */
      readonly deleted: boolean;
    }
  | {
      readonly kind: 'pull_request';
      readonly number: number;
      readonly commit: string;
      /** Where the forge keeps the pull request's head in the base repository (fetchable by anyone who can read it). */
      readonly remoteRef: string;
      readonly sourceBranch: string;
      readonly targetBranch: string;
      readonly fromFork: boolean;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

/** Which forge sent the delivery; invalid_input when it does not look like one. */
export function recogniseDelivery(headers: Headers): Delivery {
  const gitea = headers['x-forgejo-event'] ?? headers['x-gitea-event'];
  if (gitea !== undefined) return { forge: 'gitea', event: gitea };
  const gitlab = headers['x-gitlab-event'];
  if (gitlab !== undefined) return { forge: 'gitlab', event: gitlab };
  const github = headers['x-github-event'];
  if (github !== undefined) return { forge: 'github', event: github };
  throw new SlipwayError('invalid_input', 'not a webhook delivery from GitHub, GitLab, Gitea or Forgejo (no event header)', {
    hint: 'point the forge\'s webhook at this URL; other callers should use the API (`slipway runs start`)',
  });
}

/** Throws unauthorized unless the delivery proves the webhook secret. */
export function verifyDelivery(delivery: Delivery, headers: Headers, body: Uint8Array, secret: string): void {
  const hmac = () => createHmac('sha256', secret).update(body).digest('hex');
  let ok: boolean;
  switch (delivery.forge) {
    case 'github': {
      const sig = headers['x-hub-signature-256'];
      ok = sig !== undefined && sameText(sig.toLowerCase(), `sha256=${hmac()}`);
      break;
    }
    case 'gitea': {
      const sig = headers['x-forgejo-signature'] ?? headers['x-gitea-signature'];
      ok = sig !== undefined && sameText(sig.toLowerCase(), hmac());
      break;
    }
    case 'gitlab': {
      const token = headers['x-gitlab-token'];
      ok = token !== undefined && sameText(token, secret);
      break;
    }
  }
  if (!ok) {
    throw new SlipwayError('unauthorized', `the ${delivery.forge} webhook delivery does not prove the app's webhook secret`, {
      hint: delivery.forge === 'gitlab'
        ? 'set the webhook\'s "Secret token" to the secret `slipway apps connect` printed'
        : 'set the webhook\'s secret to the one `slipway apps connect` printed, and its content type to application/json',
    });
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The delivery's JSON payload: the body itself, or GitHub's form encoding (`payload=` field). */
export function payloadOf(body: Uint8Array, contentType: string | undefined): unknown {
  let text = Buffer.from(body).toString('utf8');
  if (contentType?.startsWith('application/x-www-form-urlencoded')) text = new URLSearchParams(text).get('payload') ?? '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SlipwayError('invalid_input', 'the webhook payload is not JSON', { hint: 'set the webhook\'s content type to application/json' });
  }
}

/** Pull request actions that bring new code to test; the rest (labels, comments, closing) start nothing. */
const PR_ACTIONS: Readonly<Record<Forge, readonly string[]>> = {
  github: ['opened', 'synchronize', 'reopened'],
  gitea: ['opened', 'synchronized', 'reopened'],
  gitlab: ['open', 'reopen', 'update'],
};

/** The delivery in Slipway's terms; invalid_input when a field the event needs is missing or malformed. */
export function readForgeEvent(delivery: Delivery, payload: unknown): ForgeEvent {
  const p = new Fields(payload, delivery);
  const { forge, event } = delivery;
  if (event === 'ping') return { kind: 'ignored', reason: 'ping: the webhook is set up' };
  if (event === 'push' || event === 'Push Hook' || event === 'Tag Push Hook') {
    const commit = p.sha('after');
    return { kind: 'push', ref: p.ref('ref'), commit, deleted: /^0+$/.test(commit) || p.optional('deleted') === true };
  }
  if (forge !== 'gitlab' && event === 'pull_request') {
    const action = p.text('action');
    if (!PR_ACTIONS[forge].includes(action)) return { kind: 'ignored', reason: `pull request ${action}: no new code` };
    const number = p.number('number');
    const headRepo = p.optional('pull_request', 'head', 'repo', 'full_name');
    const baseRepo = p.text('pull_request', 'base', 'repo', 'full_name');
    return {
      kind: 'pull_request',
      number,
      commit: p.sha('pull_request', 'head', 'sha'),
      remoteRef: `refs/pull/${number}/head`,
      sourceBranch: p.branch('pull_request', 'head', 'ref'),
      targetBranch: p.branch('pull_request', 'base', 'ref'),
      // A deleted fork has no head repository: still a fork.
      fromFork: typeof headRepo !== 'string' || headRepo !== baseRepo,
    };
  }
  if (forge === 'gitlab' && event === 'Merge Request Hook') {
    const action = p.text('object_attributes', 'action');
    if (!PR_ACTIONS.gitlab.includes(action)) return { kind: 'ignored', reason: `merge request ${action}: no new code` };
    // An "update" without oldrev changed only the title, labels or the like.
    if (action === 'update' && p.optional('object_attributes', 'oldrev') === undefined) return { kind: 'ignored', reason: 'merge request updated without new commits' };
    const number = p.number('object_attributes', 'iid');
    return {
      kind: 'pull_request',
      number,
      commit: p.sha('object_attributes', 'last_commit', 'id'),
      remoteRef: `refs/merge-requests/${number}/head`,
      sourceBranch: p.branch('object_attributes', 'source_branch'),
      targetBranch: p.branch('object_attributes', 'target_branch'),
      fromFork: p.number('object_attributes', 'source_project_id') !== p.number('object_attributes', 'target_project_id'),
    };
  }
  return { kind: 'ignored', reason: `${forge} event "${event}" starts nothing` };
}

/** Typed access to payload fields, with errors that name the field. */
class Fields {
  constructor(private readonly root: unknown, private readonly delivery: Delivery) {}

  optional(...path: string[]): unknown {
    let node: unknown = this.root;
    for (const key of path) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node ?? undefined;
  }

  text(...path: string[]): string {
    const v = this.optional(...path);
    if (typeof v !== 'string' || v === '') throw this.bad(path, 'a non-empty string');
    return v;
  }

  number(...path: string[]): number {
    const v = this.optional(...path);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw this.bad(path, 'a whole number');
    return v;
  }

  sha(...path: string[]): string {
    const v = this.text(...path);
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(v)) throw this.bad(path, 'a commit id');
    return v;
  }

  ref(...path: string[]): string {
    const v = this.text(...path);
    if (!/^refs\/(heads|tags)\//.test(v) || !safeRefName(v)) throw this.bad(path, 'a branch or tag ref');
    return v;
  }

  branch(...path: string[]): string {
    const v = this.text(...path);
    if (!safeRefName(`refs/heads/${v}`)) throw this.bad(path, 'a branch name');
    return v;
  }

  private bad(path: string[], what: string): SlipwayError {
    return new SlipwayError('invalid_input', `the ${this.delivery.forge} "${this.delivery.event}" payload has no valid ${path.join('.')} (expected ${what})`, {
      field: path.join('.'),
      hint: 'this delivery is not in the format Slipway knows; check the forge\'s webhook settings (JSON payloads)',
    });
  }
}

/**
 * A ref name git accepts and that cannot be read as an option or a refspec (`git check-ref-format` rules that
 * matter here: no "..", no control characters, space, ~ ^ : ? * [ \, no "@{", no leading "-" or trailing "." / "/").
 */
export function safeRefName(ref: string): boolean {
  return (
    ref.length <= 255 &&
    !ref.startsWith('-') &&
    !/[\x00-\x20\x7f~^:?*[\\]/.test(ref) &&
    !ref.includes('..') &&
    !ref.includes('@{') &&
    !ref.includes('//') &&
    !/[./]$/.test(ref) &&
    !/\.lock(\/|$)/.test(ref) &&
    !ref.split('/').some((part) => part.startsWith('.'))
  );
}
