// The raw docker CLI, the "by hand" side of the benchmarks, run with argv arrays and a DOCKER_CONFIG of its own.
//
// Always argv arrays (never a shell string), and its own DOCKER_CONFIG folder so `docker login` never touches the
// user's ~/.docker.

import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunOptions {
  /** Written to the CLI's stdin (e.g. a password for --password-stdin). */
  readonly input?: string;
  readonly timeoutMs?: number;
}

export class DockerCli {
  constructor(private readonly configDir: string) {}

  run(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'docker',
        [...args],
        { env: { ...process.env, DOCKER_CONFIG: this.configDir }, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`docker ${args.slice(0, 2).join(' ')} failed: ${(stderr || err.message).trim().slice(-2000)}`));
          else resolve(stdout);
        },
      );
      child.stdin?.end(opts.input ?? '');
    });
  }

  /** The Docker Engine's version, as the server reports it. */
  async engineVersion(): Promise<string> {
    return (await this.run(['version', '--format', '{{.Server.Version}}'])).trim();
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    await this.run(['login', '--username', username, '--password-stdin', registry], { input: `${password}\n` });
  }

  async build(tag: string, dir: string): Promise<void> {
    await this.run(['build', '-t', tag, dir], { timeoutMs: 300_000 });
  }

  async push(tag: string): Promise<void> {
    await this.run(['push', tag], { timeoutMs: 300_000 });
  }

  /** repo@sha256:… as the registry reported it on push. */
  async repoDigest(tag: string): Promise<string> {
    const ref = (await this.run(['image', 'inspect', '--format', '{{index .RepoDigests 0}}', tag])).trim();
    if (!/@sha256:[0-9a-f]{64}$/.test(ref)) throw new Error(`no repo digest for ${tag}: ${JSON.stringify(ref)}`);
    return ref;
  }

  /** Creates a service and waits for it to converge (the CLI's default without --detach). */
  async serviceCreate(args: readonly string[]): Promise<void> {
    await this.run(['service', 'create', '--detach=false', '--quiet', ...args], { timeoutMs: 240_000 });
  }

  async serviceUpdateImage(service: string, image: string): Promise<void> {
    await this.run(['service', 'update', '--detach=false', '--quiet', '--with-registry-auth', '--image', image, service], { timeoutMs: 240_000 });
  }

  /** Removes services and waits (bounded) until Swarm has removed their containers. */
  async removeServices(names: readonly string[]): Promise<void> {
    const existing = (await this.run(['service', 'ls', '--format', '{{.Name}}'])).split('\n').filter((n) => names.includes(n));
    if (existing.length > 0) await this.run(['service', 'rm', ...existing]);
    const deadline = Date.now() + 30_000;
    for (const name of names) {
      while (Date.now() < deadline) {
        const left = (await this.run(['ps', '-a', '-q', '--filter', `label=com.docker.swarm.service.name=${name}`])).trim();
        if (left === '') break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Removes image references by name (never by ID: a tag on a shared image such as node:20-slim only untags). */
  async removeImageRefs(refs: readonly string[]): Promise<string[]> {
    const problems: string[] = [];
    for (const ref of refs) {
      await this.run(['image', 'rm', ref]).catch((err: Error) => {
        if (!/No such image/i.test(err.message)) problems.push(err.message);
      });
    }
    return problems;
  }
}

/** A DockerCli with a DOCKER_CONFIG folder of its own in the temp folder; the folder is added to `dirs` (for cleanup). */
export async function privateDockerCli(dirs: string[]): Promise<DockerCli> {
  const configDir = await mkdtemp(join(tmpdir(), 'slipway-bench-docker-'));
  dirs.push(configDir);
  return new DockerCli(configDir);
}

/**
 * A service like the ones Slipway creates (src/adapters/docker/convert.ts): start-first updates that pause on failure,
 * dnsrr on the instance's overlay network, one replica, registry auth forwarded to the nodes.
 */
export function slipwayLikeServiceArgs(name: string, network: string, image: string): string[] {
  return [
    '--with-registry-auth',
    '--name', name,
    '--replicas', '1',
    '--network', network,
    '--endpoint-mode', 'dnsrr',
    '--env', 'PORT=3000',
    '--update-order', 'start-first', '--update-parallelism', '1', '--update-failure-action', 'pause',
    '--update-monitor', '5s', '--update-max-failure-ratio', '0',
    '--rollback-order', 'start-first', '--rollback-parallelism', '1', '--rollback-failure-action', 'pause',
    '--rollback-monitor', '5s', '--rollback-max-failure-ratio', '0',
    '--restart-condition', 'any', '--restart-delay', '2s', '--restart-max-attempts', '0',
    '--stop-grace-period', '10s',
    image,
  ];
}
