// Names `slipway exec` gives what it makes: an image repository part and an app label from the directory's name.

import { basename } from 'node:path';

/** The directory's name as a Docker repository path component ([a-z0-9] runs joined by "-"); "local" if nothing is left. */
export function localName(dir: string): string {
  const slug = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'local' : slug;
}
