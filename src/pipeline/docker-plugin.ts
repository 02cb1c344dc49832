// Drone's and Woodpecker's image-building plugins (plugins/docker, plugins/docker-buildx, woodpeckerci/plugin-docker-
// buildx, thegeeklab/drone-docker-buildx) run Docker-in-Docker, which needs a privileged container. Slipway runs such
// a step as its own build (the Engine API, nothing privileged) followed by a push to the registry the settings name,
// so an existing .drone.yml publishing to Docker Hub, GHCR or a private registry keeps working unchanged.
// Settings that change what is built in ways Slipway cannot honour are lint errors with their line.

import type { PublishSettings, RunMeta } from '../core/plan.js';
import type { ReadContext } from './read-values.js';
import type { Setting } from './model.js';
import type { SourceLocation } from '../core/plan.js';

export const DOCKER_BUILD_PLUGINS: ReadonlySet<string> = new Set([
  'plugins/docker', 'plugins/docker-buildx', 'woodpeckerci/plugin-docker-buildx', 'thegeeklab/drone-docker-buildx',
]);

/** Settings honoured (the rest of the plugins' documented settings are refused, never ignored). */
const SUPPORTED = new Set([
  'repo', 'registry', 'tags', 'tag', 'dockerfile', 'context', 'target', 'build_args', 'username', 'password', 'logins',
  'auto_tag', 'auto_tag_suffix', 'default_suffix', 'dry_run', 'purge', 'pull_image', 'insecure', 'mirror', 'debug', 'log_level',
]);

/** Settings that only tune the plugin's own Docker daemon or cache: the build is the same without them. Said, not hidden. */
const NOTED = new Map([
  ['platforms', 'the image is built for this machine\'s platform only (no multi-platform builds without Docker-in-Docker)'],
  ['cache_from', 'the layer cache of this machine\'s Docker is used and kept between runs instead'],
]);

/** Only these take a secret (`from_secret`); the rest shape the build and are plain. */
const SECRET_SETTINGS = new Set(['username', 'password']);

/** The plugin image without registry docker.io, tag or digest: what DOCKER_BUILD_PLUGINS lists. */
export function pluginName(image: string): string {
  return image.replace(/^(index\.)?docker\.io\//, '').replace(/@.*$/, '').replace(/:[^/]*$/, '');
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * An image reference's repository, normalized as Docker resolves it (tag and digest dropped): `alpine` and
 * `docker.io/alpine:3` are `docker.io/library/alpine`, `127.0.0.1:5000/apps/web:abc` is `127.0.0.1:5000/apps/web`.
 */
export function imageRepository(ref: string): string {
  const name = ref.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  const [first = '', ...rest] = name.split('/');
  const hasRegistry = rest.length > 0 && (/[.:]/.test(first) || first === 'localhost');
  const registry = hasRegistry ? (DOCKER_HUB.has(first) ? 'docker.io' : first) : 'docker.io';
  const path = hasRegistry ? rest.join('/') : name;
  return registry === 'docker.io' && !path.includes('/') ? `docker.io/library/${path}` : `${registry}/${path}`;
}

/**
 * Whether the repository is a Docker Hub official image (`alpine`, `library/node`): the names this host pulls for
 * bases and steps. A build may never take such a name, or the next trusted `FROM alpine` would build on it.
 */
export function isOfficialImage(repository: string): boolean {
  return imageRepository(repository).startsWith('docker.io/library/');
}

/** Lint of a docker-build plugin step's settings (run when the step's image is one of DOCKER_BUILD_PLUGINS). */
export function lintDockerPlugin(image: string, settings: readonly Setting[], loc: SourceLocation, ctx: ReadContext): void {
  const keys = new Set(settings.map((s) => s.key));
  for (const s of settings) {
    const note = NOTED.get(s.key);
    if (note !== undefined) {
      ctx.findings.warn(loc, `setting "${s.key}" of ${image}: ${note}`);
    } else if (!SUPPORTED.has(s.key)) {
      ctx.findings.error(loc, `setting "${s.key}" of ${image} is not supported: Slipway runs this plugin as its built-in build and push`, 'supported: repo, registry, tags, dockerfile, context, target, build_args, username, password, dry_run');
    } else if (s.value.kind === 'secret' && !SECRET_SETTINGS.has(s.key)) {
      ctx.findings.error(s.value.loc, `setting "${s.key}" of ${image} cannot come from a secret`, 'only username and password can');
    }
  }
  const dryRun = settings.find((s) => s.key === 'dry_run');
  const isDry = dryRun?.value.kind === 'data' && (dryRun.value.data === true || dryRun.value.data === 'true');
  if (!keys.has('repo') && !isDry) ctx.findings.error(loc, `${image} needs a "repo" setting (where the image is pushed), or dry_run: true`);
  const repo = settings.find((s) => s.key === 'repo');
  const registry = settings.find((s) => s.key === 'registry');
  const registryName = registry?.value.kind === 'data' && typeof registry.value.data === 'string' ? registry.value.data.replace(/^https?:\/\//, '').replace(/\/+$/, '') : null;
  if (repo?.value.kind === 'data' && typeof repo.value.data === 'string' && !repo.value.data.includes('$')) {
    const name = registryName !== null && !repo.value.data.startsWith(`${registryName}/`) ? `${registryName}/${repo.value.data}` : repo.value.data;
    if (isOfficialImage(name)) {
      ctx.findings.error(loc, `repo "${repo.value.data}" of ${image} names a Docker Hub official image: a build may not take the name of an image this host pulls`, 'publish under your own namespace, e.g. acme/web');
    }
  }
  // Woodpecker's buildx plugin may name the user in `logins` (per registry) and keep the password apart.
  if (keys.has('username') && !keys.has('password')) ctx.findings.error(loc, `${image} has a username but no password`);
}

/**
 * The build and publish settings of a docker-build plugin step, from its compiled PLUGIN_* variables (settings
 * encoded the way the plugin itself would read them: lists comma-joined, maps as JSON).
 */
export function dockerPluginPlan(image: string, env: Readonly<Record<string, string>>, meta: Pick<RunMeta, 'event' | 'tag'>): { build: { dockerfile: string; context: string; target: string | null; args: Record<string, string>; tags: string[] }; publish: PublishSettings } {
  const get = (key: string): string | null => {
    const v = env[`PLUGIN_${key}`];
    return v === undefined || v === '' ? null : v;
  };
  const repo = get('REPO') ?? '';
  // Docker's reference rule: a first component with a dot or a port, or localhost, is the registry.
  const first = repo.split('/')[0] ?? '';
  const inRepo = repo.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : null;
  const registry = (get('REGISTRY') ?? inRepo ?? 'docker.io').replace(/^https?:\/\//, '').replace(/\/+$/, '');
  // The plugins accept the repository with or without the registry in front.
  const repository = repo.startsWith(`${registry}/`) ? repo : `${registry}/${repo}`;
  const suffix = get('AUTO_TAG_SUFFIX') ?? get('DEFAULT_SUFFIX');
  const listed = (get('TAGS') ?? get('TAG') ?? 'latest').split(',').map((t) => t.trim()).filter(Boolean);
  // auto_tag: a tag event publishes the version's semver prefixes (v1.2.3 → 1, 1.2, 1.2.3), as the plugins do.
  const auto = get('AUTO_TAG') === 'true' && meta.event === 'tag' && meta.tag !== null ? semverTags(meta.tag) : null;
  const tags = (auto ?? listed).map((t) => (suffix && auto ? `${t}-${suffix}` : t));
  return {
    build: {
      dockerfile: get('DOCKERFILE') ?? 'Dockerfile',
      context: (get('CONTEXT') ?? '.').replace(/^\.\/+/, '') || '.',
      target: get('TARGET'),
      args: buildArgs(get('BUILD_ARGS')),
      tags: [],
    },
    publish: {
      plugin: image,
      registry,
      repository,
      tags,
      push: get('DRY_RUN') !== 'true',
      usernameEnv: 'PLUGIN_USERNAME',
      passwordEnv: 'PLUGIN_PASSWORD',
      username: loginUser(get('LOGINS'), registry),
    },
  };
}

/** The version's tags as the plugins derive them; a tag that is not a version is published as itself. */
export function semverTags(tag: string): string[] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(tag);
  if (!m) return [tag.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128)];
  const [, major, minor, patch, pre] = m;
  // A pre-release moves only its own tag, never 1 or 1.2.
  if (pre) return [`${major}.${minor}.${patch}${pre}`];
  return [`${major}`, `${major}.${minor}`, `${major}.${minor}.${patch}`];
}

/** The user name a buildx `logins` list gives for the registry (its passwords come from the password setting). */
function loginUser(encoded: string | null, registry: string): string | null {
  if (encoded === null) return null;
  try {
    const list = JSON.parse(encoded) as unknown;
    if (!Array.isArray(list)) return null;
    const entry = list.find((l: unknown) => typeof l === 'object' && l !== null && String((l as Record<string, unknown>).registry ?? '').replace(/^https?:\/\//, '') === registry) as Record<string, unknown> | undefined;
    return typeof entry?.username === 'string' ? entry.username : null;
  } catch {
    return null;
  }
}

/** build_args as the plugins take them: a map (JSON) or a list of NAME=value (comma-joined). */
function buildArgs(encoded: string | null): Record<string, string> {
  if (encoded === null) return {};
  if (encoded.startsWith('{')) {
    try {
      return Object.fromEntries(Object.entries(JSON.parse(encoded) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(encoded.split(',').filter((p) => p.includes('=')).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}
