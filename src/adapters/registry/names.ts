// Repository and tag names as the distribution reference grammar allows them; shared by the client and the fake.

import { SlipwayError } from '../../core/errors.js';

// From distribution's reference grammar: path components joined by "/", tags up to 128 characters.
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Throws SlipwayError invalid_input (field repository or tag) before anything is asked of a registry. */
export function checkImageName(repository: string, tag: string): void {
  if (!REPOSITORY.test(repository) || repository.length > 255) {
    throw new SlipwayError('invalid_input', `invalid repository name ${JSON.stringify(repository)}`, {
      field: 'repository',
      hint: 'use lowercase letters, digits and separators (".", "_", "-", "/"), e.g. "apps/hello-api"',
    });
  }
  if (!TAG.test(tag)) {
    throw new SlipwayError('invalid_input', `invalid tag ${JSON.stringify(tag)}`, {
      field: 'tag',
      hint: 'use up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"',
    });
  }
}

/** The not_found error for an image the registry does not have (the repository or the tag is missing). */
export function imageNotFound(repository: string, tag: string, address: string): SlipwayError {
  return new SlipwayError('not_found', `image ${repository}:${tag} is not in the registry at ${address}`, { field: 'tag' });
}

/** The dependency error for credentials the registry refused. */
export function credentialsRefused(address: string): SlipwayError {
  return new SlipwayError('dependency', "registry rejected Slipway's credentials", {
    field: 'credentials',
    hint: `the registry at ${address} reads its htpasswd only at start: restart the registry container, or delete credentials.json in its folder to generate new ones`,
  });
}
