// The composition root: brings up Docker, Swarm, the registry and the edge, picks the adapters for every port,
// repairs what a previous run left half-done, and serves the HTTP API.

import Dockerode from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerEngine } from '../adapters/docker/docker-engine.js';
import { CaddyEdge } from '../adapters/caddy/caddy-edge.js';
import { defaultEdgeSettings } from '../adapters/caddy/convert.js';
import { edgeContainerPath } from '../adapters/caddy/service-spec.js';
import { openSqliteStore } from '../adapters/store/sqlite.js';
import { GitRepos } from '../adapters/git/repos.js';
import { EventBus } from '../core/events.js';
import { appServiceName, edgeServiceName, isEdgeManagedNetwork, networkName, registryContainerName } from '../core/naming.js';
import type { Store } from '../core/ports/store.js';
import { RouteSync } from '../edge/route-sync.js';
import { EdgeNetworks } from '../edge/edge-networks.js';
import { watchEdgeNetworks } from '../infra/edge-watch.js';
import { ensureStepFirewall, firewallWarning } from '../infra/step-firewall.js';
import { ensurePrivateDataDir, restrictDatabaseFiles } from '../infra/data-dir.js';
import { ensureDockerDaemon } from '../infra/docker-daemon.js';
import { ensureSafeGit } from '../infra/git-version.js';
import { ensureEdgeService } from '../infra/edge-service.js';
import { edgeAcme } from '../infra/acme.js';
import { ensureRegistry } from '../infra/registry-service.js';
import { ensureOverlayNetwork, ensureSwarm } from '../infra/swarm.js';
import { DeployLock } from '../run/deploy-lock.js';
import { RunQueue } from '../run/queue.js';
import { Cancellations } from '../run/cancellations.js';
import { DockerStepBackend } from '../adapters/docker/step-backend.js';
import { openSealer } from '../adapters/secrets/sealer.js';
import { RunOps } from './runs.js';
import { ScheduleOps } from './schedules.js';
import { StackOps } from './stacks.js';
import { subscribeAudit } from '../tell/audit.js';
import { subscribeForgeStatuses } from '../tell/forge-status.js';
import { subscribeLogPruning } from '../tell/log-pruning.js';
import { Scheduler } from '../trigger/scheduler.js';
import { subscribeStackFollows } from '../trigger/stack-follow.js';
import { RunSources } from '../trigger/sources.js';
import { Apps } from './apps.js';
import { ForgeHooks } from './forges.js';
import { AppConfigOps } from './app-config.js';
import { wireTriggers, type Triggers } from './triggers.js';
import { bootstrapAdminToken } from './auth.js';
import { createAccess } from './access.js';
import { resealOldValues } from './reseal.js';
import type { SlipwayConfig } from './config.js';
import { closeServer, listenTcp, listenUnix } from './http/listen.js';
import { httpApp } from './http/server.js';

/** Slipway's own socket in the edge's folder: the edge proxies Slipway's domain to it. */
const SLIPWAY_SOCKET = 'slipway.sock';

export const VERSION = '0.1.0';

export interface RunningSlipway {
  readonly url: string;
  /** The admin token, only on the very first start (it is never stored in clear). */
  readonly firstToken: string | null;
  /** PEM users trust to verify app certificates when the local ACME CA is used. */
  readonly localCaFile: string | null;
  readonly store: Store;
  readonly apps: Apps;
  /** Every way work starts (deploy an upload, roll back, …): what `slipway up` deploys its sample with. */
  readonly triggers: Triggers;
  readonly bus: EventBus;
  readonly docker: Dockerode;
  /** Stops serving; `wait` lets running deploys finish first (default), otherwise a restart repairs them. */
  stop(wait?: boolean): Promise<void>;
}

export async function startSlipway(config: SlipwayConfig, say: (line: string) => void = () => undefined): Promise<RunningSlipway> {
  await ensurePrivateDataDir(config.dataDir);
  await ensureSafeGit();
  const docker = new Dockerode({ socketPath: config.dockerSocket });
  await ensureDockerDaemon(docker, { logFile: join(config.dataDir, 'dockerd.log'), say });
  await ensureSwarm(docker, config.swarmAdvertiseAddr);
  // Pipeline steps may not reach this host or cloud metadata (issue 12); after dockerd, which makes DOCKER-USER.
  const firewall = await ensureStepFirewall();
  if (!firewall.installed) say(firewallWarning(firewall) ?? '');
  const network = networkName(config.instance);
  await ensureOverlayNetwork(docker, network);
  say(`starting the registry on 127.0.0.1:${config.registryPort}`);
  const registry = await ensureRegistry(docker, {
    containerName: registryContainerName(config.instance),
    hostPort: config.registryPort,
    dir: join(config.dataDir, 'registry'),
  });

  const edgeDir = join(config.dataDir, 'edge');
  await mkdir(edgeDir, { recursive: true });
  const edgeDataDir = join(config.dataDir, 'edge-data');
  const { acme, pebble, localCaFile } = await edgeAcme(config.acme, { dataDir: config.dataDir, edgeDir, edgeDataDir }, docker, say);
  say(`starting the edge (Caddy) on ports ${config.httpPort}/${config.httpsPort}`);
  const edgeService = await ensureEdgeService(docker, {
    serviceName: edgeServiceName(config.instance),
    network,
    hostDir: edgeDir,
    dataDir: edgeDataDir,
    httpPort: config.httpPort,
    httpsPort: config.httpsPort,
  });
  const edge = new CaddyEdge({ adminSocketPath: edgeService.adminSocketPath, configFile: edgeService.configFile, settings: defaultEdgeSettings(acme) });

  const store = await openSqliteStore(join(config.dataDir, 'slipway.db'));
  await restrictDatabaseFiles(join(config.dataDir, 'slipway.db'));
  const firstToken = await bootstrapAdminToken(store);
  const bus = new EventBus();
  const unsubscribeAudit = subscribeAudit(bus, store, (line) => say(line));
  const unsubscribePruning = subscribeLogPruning(bus, store, { warn: (line) => say(line) });
  const engine = new DockerEngine(docker);
  const repos = new GitRepos(join(config.dataDir, 'git'));
  const sources = new RunSources(repos, join(config.dataDir, 'uploads'));
  const ownSocket = join(edgeDir, SLIPWAY_SOCKET);
  const own = config.domain === null ? [] : [{ domain: config.domain, upstreams: [`unix/${edgeContainerPath(SLIPWAY_SOCKET)}`] }];
  // Each app (and routed stack) has its own network; the edge's container joins them without a restart (issue 12).
  const edgeNetworks = new EdgeNetworks({ engine, edgeService: edgeService.serviceName, managed: (n) => isEdgeManagedNetwork(config.instance, n) });
  const routes = new RouteSync(store, edge, bus, config.instance, own, { engine, networks: edgeNetworks, warn: (line) => say(`edge: ${line}`) });
  const cancellations = new Cancellations();
  const sealer = await openSealer(config.dataDir);
  // Values sealed by older versions get bound to their app and name before anything opens them (issue 12).
  const resealed = await resealOldValues({ store, sealer, warn: (line) => say(`secrets: ${line}`) });
  if (resealed > 0) say(`secrets: re-sealed ${resealed} stored value(s) bound to their app and name`);
  const unsubscribeStatuses = subscribeForgeStatuses({ bus, store, open: (s, c) => sealer.open(s, c).reveal(), publicUrl: config.publicUrl, warn: (line) => say(`forge status: ${line}`) });
  const deploys = new DeployLock();
  const queue = new RunQueue({
    store, bus, engine, registry, sources,
    // What a run asks about its commit; the git port (core/ports/git.ts) takes this over.
    backend: new DockerStepBackend(docker),
    cancellations,
    sealer,
    instance: config.instance,
    rolloutTimeoutMs: config.rolloutTimeoutMs,
    httpsPort: config.httpsPort,
    syncRoutes: routes.sync,
    checkStackDomains: routes.checkStackDomains,
    deploys,
    outbound: { allowedHosts: config.outboundAllow },
  }, { capacity: config.maxRuns });
  const apps = new Apps({ store, bus, engine, repos, queue, routes, instance: config.instance, httpsPort: config.httpsPort, publicUrl: config.publicUrl, reservedDomain: config.domain });
  const triggers = wireTriggers({ store, bus, wake: () => queue.kick(), repos, sources, reveal: (s, c) => sealer.open(s, c).reveal() });

  // Repair: the edge gets the routes of every app, and runs cut off by a stop are resumed or rolled back.
  await routes.sync();
  const stopEdgeWatch = watchEdgeNetworks(edgeNetworks, { say });
  // Apps deployed before issue 12 stay on the shared network (still reached by the edge) until their next deploy.
  const shared = (await Promise.all((await store.listApps()).map((a) => engine.inspectDefinition(appServiceName(config.instance, a.name)))))
    .filter((d) => d?.network === network).length;
  if (shared > 0) say(`${shared} app(s) still share the network ${network}; each moves to its own network at its next deploy`);
  for (const app of await store.listApps()) await repos.ensure(app.name);
  await queue.start();

  // The hook token lives only in this process: a hook from an older process cannot start runs.
  const hookToken = randomBytes(32).toString('base64url');
  const runs = new RunOps({ store, bus, apps, queue, cancellations, sealer });
  const scheduler = new Scheduler({
    store,
    headOf: (app, branch) => repos.branchHead(app, branch),
    enqueue: triggers.enqueue,
    intervalMs: config.schedulerIntervalMs,
    onError: (err, s) => say(`scheduler: ${s ? `schedule ${s.name} of ${s.app}` : 'reading schedules'}: ${err instanceof Error ? err.message : String(err)}`),
  });
  scheduler.start();
  const schedules = new ScheduleOps({ store, apps, scheduler });
  const stacks = new StackOps({ store, apps, engine, enqueue: triggers.enqueue, deploys, instance: config.instance });
  const unsubscribeFollows = subscribeStackFollows(bus, { store, enqueue: triggers.enqueue }, (line) => say(line));
  const forges = new ForgeHooks({ store, apps, repos, sealer, publicUrl: config.publicUrl });
  const appConfig = new AppConfigOps({ store, apps, sealer, triggers });
  const http = httpApp({
    apps, triggers, runs, schedules, forges, stacks, config: appConfig, store, bus, engine, repos, instance: config.instance, version: VERSION,
    hookUrl: `http://127.0.0.1:${config.port}/internal/git/received`,
    hookToken,
    access: createAccess({ store, sealer, warn: (line) => say(`access: ${line}`) }),
  });
  const server = await listenTcp(http.fetch, config.host, config.port);
  // Behind the edge on Slipway's own domain: HTTPS with a certificate, no public plain-HTTP port (issue 12).
  const edgeServer = config.domain === null ? null : await listenUnix(http.fetch, ownSocket);
  if (config.domain !== null) say(`the API, git remote and webhooks answer at https://${config.domain}/ (through the edge)`);
  const url = config.publicUrl;
  return {
    url, firstToken, localCaFile, store, apps, triggers, bus, docker,
    async stop(wait = true) {
      await scheduler.stop();
      stopEdgeWatch();
      await queue.stop(wait);
      await closeServer(server);
      if (edgeServer) await closeServer(edgeServer);
      unsubscribeAudit();
      unsubscribePruning();
      unsubscribeStatuses();
      unsubscribeFollows();
      await pebble?.stop();
      await store.close();
    },
  };
}
