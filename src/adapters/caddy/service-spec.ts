// Pure: the Swarm service spec of the edge (Caddy) and where its files live on the host and in the container.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type Dockerode from 'dockerode';

export const EDGE_ROLE_LABEL = 'io.slipway.role';
/** On the service and on its containers, so any spec change also replaces the task (and we can wait for it). */
export const EDGE_SPEC_LABEL = 'io.slipway.edge.spec';
export const DEFAULT_EDGE_IMAGE = 'caddy:2';

/** Bind-mounted folder inside the container: admin socket, config file, trusted CA files. */
export const EDGE_DIR_IN_CONTAINER = '/run/edge';
export const EDGE_ADMIN_LISTEN = `unix/${EDGE_DIR_IN_CONTAINER}/admin.sock`;
const CONFIG_FILE_NAME = 'caddy.json';
const ADMIN_SOCKET_NAME = 'admin.sock';

export interface EdgeHostPaths {
  readonly adminSocketPath: string;
  readonly configFile: string;
}

export function edgeHostPaths(hostDir: string): EdgeHostPaths {
  return { adminSocketPath: join(hostDir, ADMIN_SOCKET_NAME), configFile: join(hostDir, CONFIG_FILE_NAME) };
}

/** Path inside the container of a file put into hostDir, e.g. a CA certificate for trusted_roots_pem_files. */
export function edgeContainerPath(fileName: string): string {
  return `${EDGE_DIR_IN_CONTAINER}/${fileName}`;
}

export interface EdgeServiceInput {
  readonly serviceName: string;
  readonly image: string;
  readonly network: string;
  /** Absolute host paths. */
  readonly hostDir: string;
  readonly dataDir: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** The swarm node holding hostDir and dataDir: the edge must run where its files are. */
  readonly nodeId: string;
}

export function edgeServiceSpec(input: EdgeServiceInput): Dockerode.CreateServiceOptions {
  const fingerprint = createHash('sha256').update(JSON.stringify(spec(input, {}))).digest('hex').slice(0, 16);
  return { ...spec(input, { [EDGE_SPEC_LABEL]: fingerprint }), Labels: { [EDGE_ROLE_LABEL]: 'edge', [EDGE_SPEC_LABEL]: fingerprint } };
}

function spec(input: EdgeServiceInput, containerLabels: Record<string, string>): Dockerode.CreateServiceOptions {
  return {
    Name: input.serviceName,
    TaskTemplate: {
      ContainerSpec: {
        Image: input.image,
        Labels: containerLabels,
        Command: ['caddy', 'run', '--config', `${EDGE_DIR_IN_CONTAINER}/${CONFIG_FILE_NAME}`],
        Mounts: [
          { Type: 'bind', Source: input.hostDir, Target: EDGE_DIR_IN_CONTAINER },
          { Type: 'bind', Source: input.dataDir, Target: '/data' },
        ],
      },
      RestartPolicy: { Condition: 'any', Delay: 2_000_000_000 },
      Placement: { Constraints: [`node.id==${input.nodeId}`] },
      Networks: [{ Target: input.network }],
    },
    Mode: { Replicated: { Replicas: 1 } },
    // stop-first: with host-mode ports a second task on the same node cannot bind 80/443 [moby#36934].
    UpdateConfig: { Parallelism: 1, Order: 'stop-first', FailureAction: 'pause', Monitor: 5_000_000_000 },
    // dnsrr + host-mode ports: works without IPVS, and keeps client IPs (ingress SNAT hides them [moby#25526]).
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: [
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: input.httpPort, PublishMode: 'host' },
        { Protocol: 'tcp', TargetPort: 443, PublishedPort: input.httpsPort, PublishMode: 'host' },
      ],
    },
  };
}
