// Makes app source trees for tests: the sample app with a chosen version string or a chosen defect.

import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SAMPLE = resolve(import.meta.dirname, '../../../examples/hello');

export type Defect = 'none' | 'no-dockerfile' | 'build-fails' | 'crashes' | 'never-healthy' | 'hangs-starting';

/** Copies the sample app into a new folder, with APP_VERSION baked in and an optional defect. */
const created: string[] = [];

/** Removes every folder sampleSource made in this process (call from after()). */
export async function removeSources(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function sampleSource(version: string, defect: Defect = 'none'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-src-'));
  created.push(dir);
  await cp(SAMPLE, dir, { recursive: true });
  const dockerfile = join(dir, 'Dockerfile');
  let text = (await readFile(dockerfile, 'utf8')).replace('ENV PORT=3000', `ENV PORT=3000 APP_VERSION=${version}`);
  if (defect === 'build-fails') text = text.replace('WORKDIR /app', 'WORKDIR /app\nRUN echo "compiling..." && exit 3');
  if (defect === 'crashes') text = text.replace('CMD ["node", "server.js"]', 'CMD ["node", "-e", "console.error(\'boom: missing DATABASE_URL\'); process.exit(1)"]');
  // A health check that never reports: the task stays "starting", and only Slipway's own deadline ends it.
  if (defect === 'hangs-starting') text = text.replace('--interval=2s --timeout=2s --start-period=1s', '--interval=600s --timeout=2s --start-period=600s');
  if (defect === 'never-healthy') text = text.replace('CMD ["node", "/app/healthcheck.js"]', 'CMD ["node", "-e", "process.exit(1)"]');
  await writeFile(dockerfile, text);
  if (defect === 'no-dockerfile') await rm(dockerfile);
  return dir;
}

/** A git repository of the folder on branch main, with one commit. */
export async function gitInit(dir: string): Promise<void> {
  await git(dir, ['init', '-q', '-b', 'main']);
  await commitAll(dir, 'initial');
}

export async function commitAll(dir: string, message: string): Promise<void> {
  await git(dir, ['add', '-A']);
  await git(dir, ['-c', 'user.email=test@slipway.test', '-c', 'user.name=test', 'commit', '-q', '--allow-empty', '-m', message]);
}

/** git push; resolves with the combined output (git prints remote lines on stderr) and the exit code. */
export async function gitPush(dir: string, remote: string, refspec = 'main'): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('git', ['-C', dir, 'push', remote, refspec], { maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

export function remoteUrl(baseUrl: string, app: string, token: string): string {
  const url = new URL(`${baseUrl}/git/${app}.git`);
  url.username = 'git';
  url.password = token;
  return url.toString();
}

async function git(dir: string, args: string[]): Promise<void> {
  await run('git', ['-C', dir, ...args]);
}
