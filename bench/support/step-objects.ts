// Finds and removes the Docker objects of pipeline runs and baseline containers by a marker in their names.
//
// The benchmark puts its instance prefix in its pipeline's name, so step containers, run networks and workspace
// volumes carry it whatever prefix Slipway itself gives them (slipway-run-… before step objects were namespaced by
// instance, <instance>-run-… after), and in its baseline containers' names. A run cut off by the time limit or an
// interrupt can leave such objects behind; this sweeps them after the instance is destroyed.

import type { DockerCli } from './docker-cli.js';

export interface DockerObjects {
  readonly containers: string[];
  readonly networks: string[];
  readonly volumes: string[];
}

async function lines(cli: DockerCli, args: string[]): Promise<string[]> {
  return (await cli.run(args)).split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** Containers, networks and volumes whose names contain `marker`. */
export async function objectsNamed(cli: DockerCli, marker: string): Promise<DockerObjects> {
  const has = (name: string) => name.includes(marker);
  return {
    containers: (await lines(cli, ['ps', '-a', '--format', '{{.Names}}'])).filter(has),
    networks: (await lines(cli, ['network', 'ls', '--format', '{{.Name}}'])).filter(has),
    volumes: (await lines(cli, ['volume', 'ls', '--format', '{{.Name}}'])).filter(has),
  };
}

/** Removes them (containers first, by name), returning what could not be removed. */
export async function removeObjectsNamed(cli: DockerCli, marker: string): Promise<string[]> {
  const found = await objectsNamed(cli, marker);
  const problems: string[] = [];
  const rm = async (args: string[]) => {
    await cli.run(args).catch((err: Error) => {
      if (!/No such|not found/i.test(err.message)) problems.push(err.message);
    });
  };
  if (found.containers.length > 0) await rm(['rm', '-f', '-v', ...found.containers]);
  for (const n of found.networks) await rm(['network', 'rm', n]);
  if (found.volumes.length > 0) await rm(['volume', 'rm', ...found.volumes]);
  return problems;
}
