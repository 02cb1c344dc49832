// Which compose keys a Slipway stack takes, and for the ones it does not, what to do instead.

/** 'ok', or the hint of a known key Slipway does not support. */
export type KeyRules = Readonly<Record<string, 'ok' | string>>;

const NETWORKING = 'every service of the stack is on the stack\'s own network, where the others reach it by its service name';
const STORAGE = 'volumes are not supported yet: keep state in a database or store outside the stack';
const SETTINGS = 'not supported yet: pass settings to the service with environment';

export const TOP_LEVEL_RULES: KeyRules = {
  services: 'ok',
  // Obsolete in the compose specification; compose itself only warns.
  version: 'ok',
  name: 'the stack is named by the deploy step (`deploy: { stack: <name> }`); remove name',
  networks: NETWORKING,
  volumes: STORAGE,
  secrets: SETTINGS,
  configs: SETTINGS,
  include: 'write the services into this file (YAML anchors and `<<` merges work)',
};

export const SERVICE_RULES: KeyRules = {
  image: 'ok',
  command: 'ok',
  entrypoint: 'ok',
  environment: 'ok',
  healthcheck: 'ok',
  labels: 'ok',
  deploy: 'ok',
  build: 'build the image with the pipeline\'s build and push steps, then write image: ${SLIPWAY_IMAGE}',
  ports: 'stack services are not published on the host: other services reach them by name on the stack\'s network, and the app\'s domain is served by the edge',
  expose: 'every port of a service is reachable by the other services of the stack; remove expose',
  volumes: STORAGE,
  volumes_from: STORAGE,
  tmpfs: STORAGE,
  secrets: SETTINGS,
  configs: SETTINGS,
  env_file: 'write the variables under environment',
  networks: NETWORKING,
  network_mode: NETWORKING,
  links: NETWORKING,
  external_links: NETWORKING,
  hostname: NETWORKING,
  container_name: 'Swarm names the containers; other services reach this one by its service name',
  depends_on: 'Swarm starts the services of a stack together: let a service retry until what it needs answers (docker stack deploy ignores depends_on as well)',
  restart: 'Swarm restarts failed tasks itself; remove restart',
  scale: 'write deploy: { replicas: N }',
  extends: 'write the service out (YAML anchors and `<<` merges work)',
  profiles: 'every service of the file is deployed; keep other services in another file',
};

export const DEPLOY_RULES: KeyRules = {
  replicas: 'ok',
  labels: 'ok',
  mode: 'ok',
  update_config: 'Slipway updates start-first with its own health gate, and puts the previous services back on failure',
  rollback_config: 'Slipway puts the previous services back itself when a deploy fails',
  endpoint_mode: 'stack services always use dnsrr (each service name resolves to its healthy tasks)',
  restart_policy: 'Swarm restarts failed tasks (condition any); remove restart_policy',
  resources: 'resource limits are not supported yet; remove resources',
  placement: 'placement is not supported yet; remove placement',
};

export const HEALTHCHECK_RULES: KeyRules = {
  test: 'ok',
  interval: 'ok',
  timeout: 'ok',
  retries: 'ok',
  start_period: 'ok',
  disable: 'ok',
  start_interval: 'start_interval needs Docker Engine API 1.44; remove it',
};

/** Every service key of the compose specification: a known key Slipway does not take is not a typo. */
export const COMPOSE_SERVICE_KEYS: readonly string[] = [
  'annotations', 'attach', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent', 'cpu_count', 'cpu_percent',
  'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_shares', 'cpus', 'cpuset', 'credential_spec', 'develop',
  'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'domainname', 'extra_hosts', 'gpus', 'group_add', 'init',
  'ipc', 'isolation', 'label_file', 'logging', 'mac_address', 'mem_limit', 'mem_reservation', 'mem_swappiness',
  'memswap_limit', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'post_start', 'pre_stop',
  'privileged', 'pull_policy', 'read_only', 'runtime', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period',
  'stop_signal', 'storage_opt', 'sysctls', 'tty', 'ulimits', 'user', 'userns_mode', 'uts', 'working_dir',
];
