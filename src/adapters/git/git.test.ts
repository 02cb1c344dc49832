// Runs the GitPort conformance suite on real git in temp dirs: bare repositories pushed to from a work tree.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe } from 'node:test';
import { promisify } from 'node:util';
import { gitConformance } from './git.conformance.js';
import { GitRepos } from './repos.js';

const exec = promisify(execFile);
const identity = ['-c', 'user.name=Test Author', '-c', 'user.email=author@slipway.test'];

describe('real git', () => {
  gitConformance(async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-git-'));
    const repos = new GitRepos(join(root, 'repos'));
    const work = async (app: string, branch: string) => {
      const dir = join(root, 'work', app, branch);
      await mkdir(dir, { recursive: true });
      const git = (...args: string[]) => exec('git', ['-C', dir, ...args]);
      await git('init', '-q', '-b', branch);
      // Start from what the repository has on this branch, if anything.
      await git('fetch', '-q', repos.dirOf(app), `refs/heads/${branch}`).then(() => git('reset', '-q', '--hard', 'FETCH_HEAD'), () => undefined);
      return git;
    };
    return {
      git: repos,
      async commit(app, branch, files, message = 'change') {
        const git = await work(app, branch);
        const cwd = join(root, 'work', app, branch);
        for (const [path, text] of Object.entries(files)) {
          if (text === null) await rm(join(cwd, path), { force: true });
          else {
            await mkdir(dirname(join(cwd, path)), { recursive: true });
            await writeFile(join(cwd, path), text);
          }
        }
        await git('add', '-A');
        await git(...identity, 'commit', '-q', '--allow-empty', '-m', message);
        await git('push', '-q', repos.dirOf(app), `HEAD:refs/heads/${branch}`);
        await rm(cwd, { recursive: true, force: true });
        return (await exec('git', ['-C', repos.dirOf(app), 'rev-parse', `refs/heads/${branch}`])).stdout.trim();
      },
      async tag(app, name, commit) {
        await exec('git', ['-C', repos.dirOf(app), ...identity, 'tag', '-a', '-m', name, name, commit]);
      },
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  });
});
