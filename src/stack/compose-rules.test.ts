// Slipway's rules on top of the schema: host powers only for trusted apps, bind mounts only under allowed roots,
// overlay networks only, paths inside the repository, several files merged as docker stack deploy merges them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintFinding } from '../core/plan.js';
import { lintCompose, readComposeFiles } from './compose.js';
import { composeNeeds } from './compose-needs.js';
import type { StackPolicy } from './model.js';

const VARS = { SLIPWAY_IMAGE: 'img' };
const UNTRUSTED: StackPolicy = { trusted: false, bindRoots: [] };
const short = (f: LintFinding) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.severity === 'warning' ? 'warning: ' : ''}${f.message}`;
const lint = (text: string, policy = UNTRUSTED, repo: Record<string, string> = {}) =>
  lintCompose([{ path: 'c.yml', text }], VARS, policy, { readRepoFile: (p) => repo[p] ?? null }).map(short);
const svc = (body: string) => `services:\n  s:\n    image: x\n${body}`;

describe('compose rules', () => {
  it('cap_add, privileged, devices, pid and network_mode host are refused unless the app is trusted', () => {
    const text = svc('    cap_add: [NET_ADMIN]\n    privileged: true\n    devices: [/dev/fuse]\n    pid: host\n    network_mode: host\n');
    assert.deepEqual(lint(text), [
      'c.yml:4:14 cap_add of service "s" gives the service more of the host\'s powers, which only an app an admin trusted may have',
      'c.yml:5:5 privileged of service "s" hands the service the host\'s powers, which only an app an admin trusted may have',
      'c.yml:6:5 devices of service "s" hands the service the host\'s powers, which only an app an admin trusted may have',
      'c.yml:7:10 pid: host of service "s" shares the host\'s processes, which only an app an admin trusted may do',
      'c.yml:8:19 network_mode: host of service "s" shares the host\'s network, which only an app an admin trusted may do',
    ]);
    const trusted = readComposeFiles([{ path: 'c.yml', text }], VARS, { trusted: true, bindRoots: [] });
    assert.deepEqual(trusted.stack?.services[0]?.capAdd, ['NET_ADMIN']);
    assert.deepEqual(trusted.findings.map(short), [
      'c.yml:5:5 warning: privileged of service "s" is ignored: Swarm services cannot run privileged (no such field)',
      'c.yml:6:5 warning: devices of service "s" is ignored: Swarm services cannot be given devices (no such field)',
      'c.yml:7:5 warning: pid of service "s" is ignored: Swarm has no such setting (docker stack deploy ignores it too)',
      'c.yml:8:5 warning: network_mode of service "s" is ignored: Swarm has no such setting (docker stack deploy ignores it too)',
    ]);
  });

  it('bind mounts: only under an allowed root (normalised, so /srv/app/../etc is not under /srv/app); never repository or home paths', () => {
    const text = svc('    volumes:\n      - /srv/app/data:/data\n      - /srv/app/../etc:/etc2\n      - ./conf:/conf\n      - ~/x:/x\n      - { type: bind, source: /var/run/docker.sock, target: /sock }\n');
    assert.deepEqual(lint(text, { trusted: false, bindRoots: ['/srv/app'] }), [
      'c.yml:6:9 service "s" mounts the host path /srv/etc, which is outside the host paths an admin allowed for this app',
      'c.yml:7:9 service "s" mounts "./conf" from the host: the repository\'s files are not on the server',
      'c.yml:8:9 service "s" mounts "~/x", a home folder on the host',
      'c.yml:9:9 service "s" mounts the host path /var/run/docker.sock, which is outside the host paths an admin allowed for this app',
    ]);
    assert.deepEqual(lint(text.split('\n').slice(0, 5).join('\n'), { trusted: false, bindRoots: ['/srv/app'] }), []);
  });

  it('networks: other drivers and the host\'s networks are refused, undeclared ones are errors; ports 80/443 belong to the edge', () => {
    const text = 'services:\n  s:\n    image: x\n    networks: [a, nope]\n    ports: ["443:8443", "8080:80", {target: 1, published: 80}]\nnetworks:\n  a: { driver: bridge }\n  h: { external: true, name: host }\n';
    assert.deepEqual(lint(text), [
      'c.yml:4:19 service "s" joins network "nope", which the top-level networks do not declare',
      'c.yml:5:13 service "s" publishes port 443, which belongs to Slipway\'s edge',
      'c.yml:5:36 service "s" publishes port 80, which belongs to Slipway\'s edge',
      'c.yml:7:16 network a has driver bridge: a Swarm stack\'s networks are overlay networks',
      'c.yml:8:18 network h is external: it could be another app\'s or Slipway\'s own, which only an app an admin trusted may use',
    ]);
    assert.deepEqual(lint(text, { trusted: true, bindRoots: [] }).filter((l) => l.includes('network h')), [], 'a trusted app may name an external network');
  });

  it('an untrusted app cannot reach the host or other apps through the top level: external objects, volume driver options (the bind trick), ipam, network options (issue 13 review)', () => {
    const text = 'services:\n  s:\n    image: x\n    volumes: ["h:/host"]\n' +
      'networks:\n  n: { driver_opts: { encrypted: "", com.docker.network.bridge.name: docker0 }, ipam: { config: [{ subnet: 172.17.0.0/16 }] } }\n' +
      '  e: { external: true, name: slip-appnet-other }\n' +
      'volumes:\n  h: { driver: local, driver_opts: { type: none, o: bind, device: / } }\n  p: { driver: rexray }\n  o: { external: true, name: slip-stack-other_web_data }\n' +
      'secrets:\n  t: { external: true, name: slip-stack-other_web_key_abc }\n' +
      'configs:\n  c: { content: x, labels: { io.slipway.app: other } }\n';
    assert.deepEqual(lint(text), [
      'c.yml:6:21 driver_opts of network n: com.docker.network.bridge.name only for an app an admin trusted',
      'c.yml:6:87 ipam of network n: only an app an admin trusted may choose its addresses',
      "c.yml:7:18 network e is external: it could be another app's or Slipway's own, which only an app an admin trusted may use",
      'c.yml:9:36 driver_opts of volume h can mount host paths or devices (type: none, o: bind, device: …), which only an app an admin trusted may do',
      'c.yml:10:16 volume p has driver rexray: only an app an admin trusted may use a volume plugin',
      "c.yml:11:18 volume o is external: it could be another app's or Slipway's own, which only an app an admin trusted may use",
      "c.yml:13:18 secret t is external: it could be another app's or Slipway's own, which only an app an admin trusted may use",
      'c.yml:15:28 labels of config c: io.slipway.app is set by Slipway',
    ]);
  });

  it('an untrusted app may raise only nofile, nproc, core and stack, up to 1 048 576 (memlock would pin host memory)', () => {
    assert.deepEqual(lint(svc('    ulimits: { memlock: 99999999999, nofile: { soft: 1024, hard: 2000000 }, nproc: 4096 }\n')), [
      'c.yml:4:16 ulimit memlock of service "s": only an app an admin trusted may raise it',
      'c.yml:4:66 hard of ulimit nofile of service "s" must be a whole number from 0 to 1048576, got "2000000"',
    ]);
  });

  it('ports of the host (below 1024, Swarm\'s, Slipway\'s) and log drivers that run in dockerd are refused for an untrusted app (issue 13 review)', () => {
    const text = svc('    ports: ["22:22", "2377:2377", "5000:5000", "8080:80"]\n    logging: { driver: syslog, options: { syslog-address: "unix:///var/run/docker.sock" } }\n');
    assert.deepEqual(lint(text), [
      'c.yml:4:13 service "s" publishes port 22, which belongs to the host (ports below 1024, Swarm\'s and Slipway\'s own)',
      'c.yml:4:22 service "s" publishes port 2377, which belongs to the host (ports below 1024, Swarm\'s and Slipway\'s own)',
      'c.yml:4:35 service "s" publishes port 5000, which belongs to the host (ports below 1024, Swarm\'s and Slipway\'s own)',
      'c.yml:5:24 logging driver syslog of service "s" runs in dockerd on the host, which only an app an admin trusted may use',
    ]);
    assert.deepEqual(lint(svc('    logging: { driver: json-file, options: { fluentd-address: "127.0.0.1:24224" } }\n')), [
      'c.yml:4:44 logging options fluentd-address of service "s" are not allowed',
    ]);
    assert.deepEqual(lint(svc('    ports: ["8080:80"]\n    logging: { driver: local, options: { max-size: 10m } }\n')), []);
  });

  it('config files, env files and .env are read from the repository only: absolute paths and ".." are errors', () => {
    const text = svc('    env_file: ../../etc/passwd\nconfigs:\n  a: { file: /etc/shadow }\n  b: { file: ../outside.conf }\n');
    assert.deepEqual(lint(text), [
      'c.yml:4:15 env_file of service "s": "../../etc/passwd" leaves the repository',
      'c.yml:6:14 file of config a: "/etc/shadow" is not a path in the repository: write it relative to the compose file',
      'c.yml:7:14 file of config b: "../outside.conf" leaves the repository',
    ]);
    assert.deepEqual(lint(svc('    env_file: missing.env\n')), ['c.yml:4:15 env_file missing.env of service "s" is not in the repository']);
    assert.deepEqual(lint(svc('    env_file: e.env\n'), UNTRUSTED, { 'e.env': 'GOOD=1\nnot a line\n' }), ['c.yml:4:15 env_file e.env:2 of service "s": "not a line" is not a variable name']);
  });

  it('composeNeeds lists .env and env files for the reader, config and secret files for the rollout, inside the repository only', () => {
    const a = { path: 'ops/stack.yml', text: 'services:\n  s:\n    image: x\n    env_file: [a.env, { path: "${DIR}/b.env" }, /abs.env]\nconfigs:\n  c: { file: ./c.conf }\nsecrets:\n  k: { file: ../../k }\n' };
    const b = { path: 'ops/prod/override.yml', text: 'services:\n  s:\n    env_file: prod.env\n' };
    assert.deepEqual(composeNeeds([a, b], { DIR: 'conf' }), { reader: ['ops/.env', 'ops/a.env', 'ops/conf/b.env', 'ops/prod/prod.env'], objects: ['ops/c.conf'] });
  });

  it('interpolation reads .env beside the first file, Slipway\'s variables win; every form of ${…}', () => {
    const text = svc('    environment:\n      A: ${FROM_ENV}\n      B: ${UNSET-dash}\n      C: ${EMPTY:-colon}\n      D: ${FROM_ENV:+alt}\n      E: $$literal\n      F: ${SLIPWAY_IMAGE}\n');
    const r = readComposeFiles([{ path: 'c.yml', text }], VARS, UNTRUSTED, { readRepoFile: (p) => (p === '.env' ? 'FROM_ENV=dotenv\nEMPTY=\nSLIPWAY_IMAGE=not-this\n' : null) });
    assert.deepEqual(r.stack?.services[0]?.environment, { A: 'dotenv', B: 'dash', C: 'colon', D: 'alt', E: '$literal', F: 'img' });
    assert.deepEqual(lint(svc('    environment: { A: "${NEED:?set NEED in the app settings}", B: "${NEED2?}" }\n')), [
      'c.yml:4:23 environment.A of service "s": NEED: set NEED in the app settings',
      'c.yml:4:67 environment.B of service "s": NEED2: is not set',
    ]);
  });
});

describe('several files', () => {
  it('merge as docker stack deploy -c a -c b: maps by key, environment and labels by name, ports/volumes/secrets by key, command replaced', () => {
    const base = {
      path: 'compose.yml',
      text: [
        'services:', '  web:', '    image: web:1', '    command: [a, b]', '    environment: [A=1, B=1]', '    labels: { x: "1" }',
        '    ports: ["8080:3000"]', '    volumes: [data:/data, logs:/logs]', '    secrets: [s1]', '    deploy: { replicas: 1, resources: { limits: { memory: 1G } } }',
        '  db:', '    image: db:1', 'volumes: { data: {}, logs: {}, other: {} }', 'secrets: { s1: { file: ./s1 } }',
      ].join('\n'),
    };
    const over = {
      path: 'prod/override.yml',
      text: [
        'services:', '  web:', '    image: web:2', '    command: [c]', '    environment: { B: "2", C: "3" }', '    labels: [y=2]',
        '    ports: ["8080:3000", "9090:9090"]', '    volumes: [other:/data]', '    secrets: [{ source: s1, target: renamed }]', '    deploy: { replicas: 4 }',
        '  extra:', '    image: extra:1',
      ].join('\n'),
    };
    const r = readComposeFiles([base, over], VARS, UNTRUSTED);
    assert.deepEqual(r.findings.map(short), ['compose.yml:14:24 warning: secret s1 is a file of the repository: whoever reads the repository reads the secret']);
    const [web, db, extra] = r.stack?.services ?? [];
    assert.deepEqual(r.stack?.files, ['compose.yml', 'prod/override.yml']);
    assert.deepEqual([web?.image, db?.image, extra?.image], ['web:2', 'db:1', 'extra:1']);
    assert.deepEqual(web?.command, ['c']);
    assert.deepEqual(web?.environment, { A: '1', B: '2', C: '3' });
    assert.deepEqual(web?.labels, { x: '1', y: '2' });
    assert.deepEqual(web?.ports.map((p) => p.published), [8080, 9090]);
    assert.deepEqual(web?.mounts.map((m) => (m.type === 'volume' ? `${m.source}:${m.target}` : '')), ['other:/data', 'logs:/logs']);
    assert.deepEqual(web?.secrets.map((s) => s.target), ['/run/secrets/renamed']);
    assert.deepEqual([web?.replicas, web?.resources.limits?.memoryBytes], [4, 1024 ** 3]);
  });

  it('extends and volume subpaths are refused: ignoring them would deploy something else than the file says', () => {
    assert.deepEqual(lint(svc('    extends: { service: base }\n    volumes: [{ type: volume, source: d, target: /d, volume: { subpath: sub } }]\nvolumes: { d: {} }\n')), [
      'c.yml:4:5 extends of service "s" is not supported by Slipway stacks',
      'c.yml:5:73 volume.subpath of a volume of service "s" needs Docker Engine API 1.45, which Slipway does not require',
    ]);
  });

  it('two services publishing one port, and too many files, are refused before anything is deployed', () => {
    assert.deepEqual(lint('services:\n  a: { image: a, ports: ["8080:1"] }\n  b: { image: b, ports: ["9000:2", "8080:3"] }\n'), ['c.yml:3:3 services "a" and "b" both publish port 8080/tcp']);
    const many = Array.from({ length: 17 }, (_, i) => ({ path: `c${i}.yml`, text: 'services: { a: { image: a } }\n' }));
    assert.deepEqual(readComposeFiles(many, VARS, UNTRUSTED).findings.map(short), ['c0.yml:1:1 17 compose files given: at most 16']);
  });

  it('an error in the second file names that file', () => {
    const r = readComposeFiles([{ path: 'a.yml', text: 'services:\n  s:\n    image: x\n' }, { path: 'b.yml', text: 'services:\n  s:\n    ports: ["80:80"]\n' }], VARS, UNTRUSTED);
    assert.equal(r.stack, null);
    assert.deepEqual(r.findings.map(short), ['b.yml:3:13 service "s" publishes port 80, which belongs to Slipway\'s edge']);
  });
});
