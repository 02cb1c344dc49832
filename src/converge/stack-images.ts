// Tags become digests at deploy time, so no node runs a stale `:latest`: an image in Slipway's registry is asked for
// by the registry port (HEAD with credentials); any other through the engine, which asks the image's registry.
// An image no registry answers for but the engine has locally is used as given, and the log says so.

import { SlipwayError, asSlipwayError } from '../core/errors.js';
import type { EnginePort } from '../core/ports/engine.js';
import type { RegistryPort } from '../core/ports/registry.js';

export interface ImagePinning {
  readonly engine: Pick<EnginePort, 'resolveImage'>;
  readonly registry?: Pick<RegistryPort, 'address' | 'resolveDigest'>;
  readonly log: (text: string) => void;
}

/** image as given → image to deploy; an image found nowhere is an error naming it (before anything changed). */
export async function pinImages(images: readonly string[], ctx: ImagePinning): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const image of new Set(images)) out.set(image, await pin(image, ctx));
  return out;
}

async function pin(image: string, ctx: ImagePinning): Promise<string> {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return image;
  const ours = ctx.registry ? `${ctx.registry.address}/` : null;
  if (ours !== null && ctx.registry && image.startsWith(ours)) {
    const { repository, tag } = splitTag(image.slice(ours.length));
    try {
      return `${image}@${await ctx.registry.resolveDigest(repository, tag)}`;
    } catch (err) {
      const e = asSlipwayError(err);
      throw new SlipwayError(e.kind === 'not_found' ? 'not_found' : e.kind, `image ${image}: ${e.message}`, {
        field: image, hint: e.kind === 'not_found' ? "push it first (a pipeline's build and push steps), or fix the name in the compose file" : e.hint,
      });
    }
  }
  const found = await ctx.engine.resolveImage(image, null);
  if (found.digest !== null) return `${image}@${found.digest}`;
  if (found.local) {
    ctx.log(`--> note: ${image}: no registry gave its digest (${found.reason ?? 'no answer'}); using the image this engine has locally, as given (other nodes need it too)\n`);
    return image;
  }
  throw new SlipwayError('not_found', `image ${image} was found neither in its registry (${found.reason ?? 'no answer'}) nor on this engine`, {
    field: image, hint: 'check the image name and tag in the compose file; a private registry needs a login stored for it',
  });
}

/** repository:tag split at the tag's colon (a port's colon comes before the last slash); no tag: latest. */
function splitTag(ref: string): { repository: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repository: ref, tag: 'latest' };
}
