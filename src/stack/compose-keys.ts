// What Slipway does with each compose key beyond the ones it reads: warn that Swarm ignores it (as `docker stack
// deploy` prints "Ignoring unsupported options"), refuse it, or allow it only for an app an admin trusted.

/** Service keys read into the model (compose-service.ts); pid and network_mode are read for "host" only. */
export const READ_SERVICE_KEYS: readonly string[] = [
  'image', 'command', 'entrypoint', 'environment', 'env_file', 'labels', 'healthcheck', 'ports', 'volumes', 'tmpfs', 'configs', 'secrets',
  'networks', 'user', 'working_dir', 'hostname', 'extra_hosts', 'dns', 'dns_search', 'dns_opt', 'init', 'ulimits', 'read_only',
  'stop_grace_period', 'stop_signal', 'logging', 'sysctls', 'cap_add', 'cap_drop', 'deploy', 'pid', 'network_mode',
];

/** Keys the compose specification knows and a Swarm service has no field for: a warning each, with a hint. */
export const IGNORED_SERVICE_KEYS: Readonly<Record<string, string>> = {
  build: 'build the image in the pipeline (build and push steps), then write image: ${SLIPWAY_IMAGE}',
  depends_on: 'Swarm starts the services of a stack together: let a service retry until what it needs answers',
  restart: 'Swarm restarts failed tasks itself; deploy.restart_policy says how',
  container_name: 'Swarm names the containers; other services reach this one by its service name',
  links: 'services of the stack reach each other by service name on their networks',
  external_links: 'services of the stack reach each other by service name on their networks',
  expose: 'every port of a service is reachable by the services on its networks',
  volumes_from: 'mount the same named volume in both services',
  cgroup_parent: '', cgroup: '', domainname: '', ipc: '', mac_address: '', security_opt: '', shm_size: 'mount a tmpfs at /dev/shm instead',
  userns_mode: '', uts: '', pull_policy: 'Slipway pins every image to its digest at deploy time', profiles: 'every service of the files is deployed',
  stdin_open: '', tty: '', platform: 'Swarm places tasks on nodes of the image\'s platform', scale: 'write deploy.replicas',
  cpus: 'write deploy.resources.limits.cpus', cpu_count: '', cpu_percent: '', cpu_period: '', cpu_quota: '', cpu_rt_period: '', cpu_rt_runtime: '',
  cpu_shares: '', cpuset: '', mem_limit: 'write deploy.resources.limits.memory', mem_reservation: 'write deploy.resources.reservations.memory',
  mem_swappiness: '', memswap_limit: '', oom_kill_disable: '', oom_score_adj: '', pids_limit: 'write deploy.resources.limits.pids',
  blkio_config: '', runtime: '', isolation: '', credential_spec: '', group_add: '', annotations: '', attach: '', develop: '', post_start: '',
  pre_stop: '', gpus: '', storage_opt: '', device_cgroup_rules: '', use_api_socket: '', provider: '', models: '', pull_refresh_after: 'Slipway pins every image to its digest at deploy time', label_file: 'write the labels under labels',
};

/** Keys Slipway refuses: ignoring them would deploy something other than what the file says. */
export const REFUSED_SERVICE_KEYS: Readonly<Record<string, string>> = {
  extends: 'write the service out (YAML anchors and `<<` merges work), or give a base file and an override (-c a -c b)',
};

/** Keys that would give a service the host's powers: only for a trusted app (and then still without a Swarm field). */
export const TRUSTED_SERVICE_KEYS: Readonly<Record<string, string>> = {
  privileged: 'Swarm services cannot run privileged (no such field)',
  devices: 'Swarm services cannot be given devices (no such field)',
};

/** Top-level keys Slipway does not take. */
export const TOP_LEVEL_REFUSED: Readonly<Record<string, string>> = {
  include: 'write the services into this file, or give several files (-c a -c b); YAML anchors and `<<` merges work',
  models: 'models are not Swarm objects',
};

/** Top-level keys read or ignored with a warning. */
export const TOP_LEVEL_IGNORED: Readonly<Record<string, string>> = {
  name: 'the stack is named by the deploy step (`deploy: { stack: <name> }`)',
};

/** Images of the reverse proxies people put in their stacks: Slipway's edge does their job. */
export const EDGE_PROXY_IMAGES: readonly RegExp[] = [
  /^(docker\.io\/)?(library\/)?traefik([:@]|$)/,
  /^(docker\.io\/)?(jwilder|nginxproxy|nginx-proxy)\/(nginx-proxy|acme-companion|docker-gen)([:@]|$)/,
  /^(docker\.io\/)?jrcs\/letsencrypt-nginx-proxy-companion([:@]|$)/,
  /^(docker\.io\/)?lucaslorentz\/caddy-docker-proxy([:@]|$)/,
];
