import { diskVerdict } from '../../shared/disk';
import { ZkfError } from '../../shared/errors';
import { SUPPORTED_PROTOCOLS, VERSION } from '../../shared/version';
import type { Facts__Output } from '../../shared/generated/wire';
import type { HostSpec } from '../ensemble/file';
import type { DeployRun } from './run';

/** The hosts a run touches: ZooKeeper and DNS hosts, and the ops host unless --only zookeeper. */
export function touchedHosts(run: DeployRun): HostSpec[] {
  const { only } = run.opts;
  const zkPart = (h: HostSpec) => only !== 'image' && (h.roles.includes('zookeeper') || h.roles.includes('dns'));
  const imagePart = (h: HostSpec) => only !== 'zookeeper' && h.roles.includes('image');
  return run.e.spec.hosts.filter((h) => zkPart(h) || imagePart(h));
}

/**
 * Why a host cannot be deployed to, from its facts, or undefined: another agent answering at its address,
 * a full disk under dataDir/dataLogDir, a role whose capability the agent lacks.
 */
export function hostReadiness(
  h: HostSpec,
  f: Facts__Output,
  z: { minFreeMB: number; heapMB?: number },
): ZkfError | undefined {
  const { minFreeMB } = z;
  if (f.name !== h.name) {
    return new ZkfError('PERMISSION_DENIED', `the agent at ${h.agent} is "${f.name}", not "${h.name}"`);
  }
  if (!SUPPORTED_PROTOCOLS.includes(f.protocolVersion)) {
    const speaks = `agent ${f.agentVersion || '(unknown version)'} speaks protocol ${f.protocolVersion}`;
    const ours = `this coordinator (${VERSION}) speaks ${SUPPORTED_PROTOCOLS.join(', ')}`;
    const upgrade = `${ours}: upgrade it with \`coordinator bootstrap\``;
    return new ZkfError('VERSION_MISMATCH', `${speaks}; ${upgrade}`);
  }
  const full = h.roles.includes('zookeeper') ? f.disks.find((d) => diskVerdict(d, minFreeMB).full) : undefined;
  if (full) {
    const free = `${(full.freeBytes / 1e6).toFixed(0)} MB free, a deploy needs ${minFreeMB} MB (zookeeper.minFreeMB)`;
    const why = 'ZooKeeper stops serving when it cannot write its transaction log. Free space first';
    return new ZkfError('DISK_FULL', `disk full under ${full.path} (${full.mount}): ${free}; ${why}`);
  }
  const memoryMB = Math.floor(Number(f.memoryTotalBytes) / 2 ** 20);
  if (h.roles.includes('zookeeper') && z.heapMB && z.heapMB > memoryMB) {
    return new ZkfError(
      'INVALID_ARGUMENT',
      `zookeeper.heapMB ${z.heapMB} is more than the host's memory (${memoryMB} MB)`,
    );
  }
  const missing = h.roles.filter((r) => !f.capabilities.includes(r));
  if (missing.length) {
    const list = missing.join(', ');
    return new ZkfError('CAPABILITY_DISABLED', `role ${list} needs capability ${list} in the agent's config`);
  }
  return undefined;
}

/** Phase 1: reach every agent and gather facts; an unreachable or unready host stops the deploy here. */
export async function connectAgents(run: DeployRun): Promise<void> {
  for (const w of run.e.warnings) run.progress.note(`warning: ${w}`);
  const touched = touchedHosts(run);
  await run.phase('connect', () => Promise.all(touched.map((h) => run.hostStep(h, 'facts', () => factsOf(run, h)))));
  const refused = touched.filter((h) => run.failed(h));
  if (refused.length) {
    const codes = new Set(refused.map((h) => run.report(h).errorCode));
    const one = codes.size === 1 ? [...codes][0] : undefined;
    const code = one === 'DISK_FULL' || one === 'VERSION_MISMATCH' ? one : 'UNAVAILABLE';
    const why = refused.map((h) => `${h.name} (${run.report(h).error})`).join('; ');
    const details = { hosts: refused.map((h) => h.name) };
    throw new ZkfError(code, `cannot deploy: ${why}. Nothing was changed.`, { details });
  }
}

async function factsOf(run: DeployRun, h: HostSpec) {
  const { e, signal } = run;
  const a = run.fleet.agent(h);
  await a.waitReady(e.spec.timeouts.connectMs, signal);
  const z = e.spec.zookeeper;
  const req = {
    dataDir: z.dataDir,
    dataLogDir: z.dataLogDir,
    zookeeperInstallDir: z.installDir,
    jdkInstallDir: e.spec.jdk.installDir,
  };
  const f = await a.facts(req, { signal });
  const refused = hostReadiness(h, f, z);
  if (refused) throw refused;
  run.facts.set(h.name, f);
  const versions = `JDK ${f.jdkVersion || '-'}, ZooKeeper ${f.zookeeperVersion || '-'} (${f.zookeeperMode})`;
  return { changed: false, description: `${f.os}, ${f.cpus} CPU, ${versions}` };
}
