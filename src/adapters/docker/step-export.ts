// Exports a folder of a run's workspace volume as a tar stream (the build context after earlier steps ran).

import type Dockerode from 'dockerode';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { SlipwayError } from '../../core/errors.js';
import { removeQuietly } from './step-container.js';

const MOUNT = '/slipway-export';

/** `image` only has to exist locally: the container is created, never started. */
export async function exportWorkspaceFolder(docker: Dockerode, volume: string, path: string, image: string): Promise<Readable> {
  const folder = posix.normalize(`/${path}`);
  if (folder.split('/').includes('..')) {
    throw new SlipwayError('invalid_input', `build context ${path} leaves the workspace`, { field: 'context', hint: 'use a folder inside the repository' });
  }
  const container = await docker.createContainer({
    Image: image,
    Labels: { 'io.slipway.role': 'export' },
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: MOUNT, ReadOnly: true }] },
  });
  try {
    // "<dir>/." yields the folder's contents rooted at "./", which is what a build context is.
    const stream = (await container.getArchive({ path: `${MOUNT}${folder === '/' ? '' : folder}/.` })) as unknown as Readable;
    stream.once('close', () => void removeQuietly(container));
    return stream;
  } catch (err) {
    await removeQuietly(container);
    const status = (err as { statusCode?: number }).statusCode;
    throw new SlipwayError(status === 404 ? 'invalid_input' : 'dependency', `cannot read ${path} from the workspace: ${(err as Error).message}`, {
      field: 'context',
      hint: 'check the build context path in the pipeline file',
    });
  }
}
