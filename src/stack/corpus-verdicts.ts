// The verdict on each compose file of the public corpus (fixtures/corpus/SOURCES.md): accepted as it is, accepted once
// an admin trusts the app and allows its host paths, or refused and why. corpus.test.ts checks them.

import type { ComposeVariables, StackPolicy } from './model.js';

export interface CorpusVerdict {
  readonly file: string;
  /** Untrusted, no host paths, only Slipway's variables and the project's own `.env`: "accepted unchanged". */
  readonly asIs: Outcome;
  /** With the app's settings an operator would give and an admin's trust (all host paths): the stack as intended. */
  readonly withAdmin?: { readonly vars?: ComposeVariables; readonly outcome: Outcome };
}

/** Accepted with this many warnings, or refused with a first error matching this. */
export type Outcome = { readonly warnings: number } | { readonly refused: RegExp };

export const ADMIN: StackPolicy = { trusted: true, bindRoots: ['/'] };

const HOST_PATH = /mounts the host path .*outside the host paths an admin allowed/;
const EDGE = /publishes port 80, which belongs to Slipway's edge/;
/** An external network (here the one Traefik shared): it could be another app's or Slipway's own. */
const EXTERNAL = /network \S+ is external/;

export const CORPUS: readonly CorpusVerdict[] = [
  { file: 'voting-stack.yml', asIs: { warnings: 0 } },
  { file: 'dogvscat-stack-voting.yml', asIs: { refused: EXTERNAL }, withAdmin: { outcome: { warnings: 0 } } },
  { file: 'dogvscat-stack-ee-voting.yml', asIs: { refused: /driver cloudstor:latest: only an app an admin trusted/ }, withAdmin: { outcome: { warnings: 0 } } },
  // Its database password is a secret file of the repository (warning).
  { file: 'dogvscat-stack-ghost.yml', asIs: { refused: EXTERNAL }, withAdmin: { outcome: { warnings: 1 } } },
  { file: 'dogvscat-stack-sqlite-ghost.yml', asIs: { refused: EXTERNAL }, withAdmin: { outcome: { warnings: 0 } } },
  { file: 'dogvscat-stack-elk.yml', asIs: { refused: /publishes port 5000, which belongs to the host/ }, withAdmin: { outcome: { warnings: 0 } } },
  // build is ignored (warning), the Traefik rule names two hosts: the first is served.
  { file: 'dogvscat-stack-menu.yml', asIs: { refused: EXTERNAL }, withAdmin: { outcome: { warnings: 2 } } },
  // restart and expose are ignored.
  { file: 'awesome-gitea-postgres.yml', asIs: { warnings: 3 } },
  { file: 'awesome-postgresql-pgadmin.yml', asIs: { warnings: 4 } },
  // Monitoring and cluster tools read the host (/proc, /sys, the Docker socket): an admin must allow it.
  { file: 'swarmprom.yml', asIs: { refused: HOST_PATH }, withAdmin: { outcome: { warnings: 0 } } },
  {
    file: 'swarmprom-traefik.yml', asIs: { refused: /Variable DOMAIN not set|host path|is external/ },
    withAdmin: { vars: { DOMAIN: 'example.com', ADMIN_USER: 'admin', HASHED_PASSWORD: 'x' }, outcome: { warnings: 0 } },
  },
  { file: 'dogvscat-stack-swarmprom.yml', asIs: { refused: EXTERNAL }, withAdmin: { outcome: { warnings: 0 } } },
  { file: 'dogvscat-stack-portainer.yml', asIs: { refused: HOST_PATH }, withAdmin: { outcome: { warnings: 0 } } },
  { file: 'dogvscat-stack-visualizer.yml', asIs: { refused: HOST_PATH }, withAdmin: { outcome: { warnings: 0 } } },
  { file: 'dogvscat-stack-rexray.yml', asIs: { refused: HOST_PATH }, withAdmin: { outcome: { warnings: 0 } } },
  // The host's bridge network for a pruning job: trusted apps only.
  { file: 'dogvscat-stack-prune.yml', asIs: { refused: HOST_PATH }, withAdmin: { outcome: { warnings: 0 } } },
  // Its two Traefik services are left out (warnings); the socket proxy needs the Docker socket.
  { file: 'dogvscat-stack-proxy-global.yml', asIs: { refused: HOST_PATH }, withAdmin: { outcome: { warnings: 3 } } },
  { file: 'awesome-portainer.yml', asIs: { refused: HOST_PATH }, withAdmin: { outcome: { warnings: 2 } } },
  // cap_add NET_ADMIN and /etc binds.
  { file: 'awesome-pihole-cloudflared-doh.yml', asIs: { refused: /publishes port 53, which belongs to the host/ }, withAdmin: { outcome: { warnings: 6 } } },
  { file: 'awesome-plex.yml', asIs: { refused: /network_mode: host/ }, withAdmin: { outcome: { warnings: 3 } } },
  // Refused for good: a file holding only Traefik, ports 80/443, repository or home paths on the host, no image.
  { file: 'dogvscat-stack-proxy.yml', asIs: { refused: /no service is left to deploy|driver rexray\/dobs/ } },
  { file: 'awesome-nextcloud-postgres.yml', asIs: { refused: EDGE } },
  { file: 'awesome-nextcloud-redis-mariadb.yml', asIs: { refused: EDGE } },
  { file: 'awesome-wordpress-mysql.yml', asIs: { refused: EDGE } },
  { file: 'awesome-prometheus-grafana.yml', asIs: { refused: /mounts "\.\/prometheus" from the host: the repository's files are not on the server/ } },
  { file: 'awesome-elasticsearch-logstash-kibana.yml', asIs: { refused: /repository's files are not on the server/ } },
  { file: 'awesome-minecraft.yml', asIs: { refused: /a home folder on the host/ } },
  { file: 'awesome-traefik-golang.yml', asIs: { refused: /service "backend" has no image/ } },
];
