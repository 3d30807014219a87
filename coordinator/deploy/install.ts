import path from 'node:path';
import { defaultHeapMB, JDK_DEFAULTS, ZOOKEEPER_DEFAULTS } from '../../shared/defaults';
import type { ConfigureZooKeeperRequest, StepResult__Output } from '../../shared/generated/wire';
import type { Ensemble, HostSpec } from '../ensemble/file';
import { serverName } from '../ensemble/topology';
import { providerHasHttpHost } from '../artifacts/provider';
import { uploadArtifact } from '../fleet/upload';
import type { Outcome } from '../fleet/host-run';
import { clientTlsMode, LOOPBACK, type QuorumStage } from '../../shared/zookeeper/tls';
import type { DeployRun } from './run';

/** The request that renders a host's zoo.cfg, java.env and myid: every field set, none left to the agent. */
export function configureRequest(
  e: Ensemble,
  h: HostSpec,
  zk: HostSpec[],
  myids: Record<string, number>,
  dryRun: boolean,
  memoryBytes: number,
  more: {
    snapshotTrustEmpty?: boolean;
    superDigest?: string;
    providerHost?: boolean;
    tls?: { stage: QuorumStage; certPem?: string; caPem?: string };
  } = {},
): ConfigureZooKeeperRequest {
  const z = e.spec.zookeeper;
  const servers = zk.map((s) => ({
    id: myids[s.name],
    host: serverName(e, s, myids[s.name]),
    quorumPort: z.quorumPort,
    electionPort: z.electionPort,
    observer: s.observer,
  }));
  return {
    installDir: z.installDir,
    dataDir: z.dataDir,
    dataLogDir: z.dataLogDir,
    clientPort: z.clientPort,
    // Client TLS `only`: the plain port is the host's own (the agent's four-letter words), none from the network.
    clientPortAddress: z.tls.client === 'only' ? LOOPBACK : z.bindClientAddress ? h.address : '',
    tickTime: z.tickTime,
    initLimit: z.initLimit,
    syncLimit: z.syncLimit,
    servers,
    myid: myids[h.name],
    fourLetterWords: z.fourLetterWords,
    autopurgeSnapRetainCount: z.autopurge.snapRetainCount,
    autopurgePurgeInterval: z.autopurge.purgeInterval,
    adminServerAddress: z.adminServer.enabled ? (z.bindClientAddress ? h.address : '0.0.0.0') : '',
    adminServerPort: z.adminServer.port,
    extra: z.extra,
    jvmFlags: z.jvmFlags,
    javaHome: path.posix.join(e.spec.jdk.installDir, JDK_DEFAULTS.linkName),
    user: z.user,
    supervisor: z.supervisor,
    heapMb: z.heapMB ?? defaultHeapMB(memoryBytes),
    logMaxSizeKb: Math.max(1, Math.round(z.logs.maxSizeMB * 1024)),
    logKeep: z.logs.keep,
    logLevel: z.logs.level,
    snapshotTrustEmpty: !!more.snapshotTrustEmpty,
    reconfig: z.reconfig,
    prometheusPort: z.prometheus?.port ?? 0,
    prometheusHost: z.prometheus && more.providerHost ? h.address : '',
    // The super user is zkfleet's way in for reconfig and for setting the registry's ACL.
    superDigest: z.reconfig || z.auth ? more.superDigest : '',
    enforceAuth: !!z.auth?.enforce,
    ...tlsFields(e, more.tls),
    dryRun,
  };
}

/** Quorum TLS at the run's stage, client TLS as the file says, and the server's certificate with the CA. */
function tlsFields(e: Ensemble, tls: { stage: QuorumStage; certPem?: string; caPem?: string } | undefined) {
  return {
    quorumTls: tls?.stage ?? 'quorum_plain',
    tlsCertPem: tls?.certPem ?? '',
    tlsCaPem: tls?.caPem ?? '',
    clientTls: clientTlsMode(e.spec.zookeeper.tls.client),
    secureClientPort: e.spec.zookeeper.tls.secureClientPort,
  };
}

/** Phase 4: artifacts, JDK, ZooKeeper, zoo.cfg/myid; hosts in parallel, each host's steps in order. */
export async function installHosts(run: DeployRun): Promise<void> {
  await run.phase('install', () => Promise.all(run.liveZk.map((h) => installHost(run, h))));
}

/**
 * One host's JDK and ZooKeeper: the JDK's upload first, then its unpack (the long part) alongside ZooKeeper's
 * upload and unpack. Each install is whole or nothing on the agent, so a failure of one leaves the other's
 * tree correct; the host is configured only when both are in place.
 */
async function installHost(run: DeployRun, h: HostSpec): Promise<void> {
  const jdkPending = await uploadStep(run, h, 'jdk');
  if (jdkPending === undefined) return;
  const zookeeper = async () => {
    const pending = await uploadStep(run, h, 'zookeeper');
    return pending !== undefined && unpackStep(run, h, 'zookeeper', pending);
  };
  const [jdk, zk] = await Promise.all([unpackStep(run, h, 'jdk', jdkPending), zookeeper()]);
  // A server that joins in a membership step is configured at its step, with that step's list.
  const listed = run.servers.some((s) => s.name === h.name);
  if (jdk && zk && listed) await run.phase('configure', () => configureHost(run, h));
}

/** The artifact onto the host (skipped when it holds it); whether it is only pending (a dry run). */
async function uploadStep(run: DeployRun, h: HostSpec, kind: 'jdk' | 'zookeeper'): Promise<boolean | undefined> {
  const a = run.fleet.agent(h);
  const up = await run.phase('upload', () =>
    run.hostStep(h, `upload-${kind}`, () => uploadArtifact(run.e, a, kind, run.opts)),
  );
  return up?.pending;
}

async function unpackStep(run: DeployRun, h: HostSpec, kind: 'jdk' | 'zookeeper', pending: boolean): Promise<boolean> {
  const { e, signal, dryRun } = run;
  const a = run.fleet.agent(h);
  const what = kind === 'jdk' ? 'the JDK' : 'ZooKeeper';
  // A dry run cannot unpack what is not uploaded yet: the step is only planned, and a running server on
  // that host would move to the new tree in the roll.
  const planned = async (): Promise<Outcome> => {
    run.newTrees.add(h.name);
    return { changed: true, description: `would unpack ${what} after the upload` };
  };
  const request = {
    sha256: e.spec.artifacts[kind].sha256.toLowerCase(),
    installDir: kind === 'jdk' ? e.spec.jdk.installDir : e.spec.zookeeper.installDir,
    linkName: kind === 'jdk' ? JDK_DEFAULTS.linkName : ZOOKEEPER_DEFAULTS.linkName,
    dryRun,
  };
  const install = () => (kind === 'jdk' ? a.installJdk(request, { signal }) : a.installZooKeeper(request, { signal }));
  const step = kind === 'jdk' ? 'install-jdk' : 'install-zookeeper';
  return run.phase('unpack', async () => !!(await run.hostStep(h, step, pending ? planned : install)));
}

/** zoo.cfg, java.env and myid again on every live host (the second roll of a 3.4 → 3.5+ upgrade). */
export async function configureHosts(run: DeployRun): Promise<void> {
  await run.phase('configure', () => Promise.all(run.liveZk.map((h) => configureHost(run, h))));
}

/** zoo.cfg, java.env and myid on one host, with the server list of the moment (`run.servers`). */
export async function configureHost(run: DeployRun, h: HostSpec): Promise<void> {
  // A dry run on a host without ZooKeeper yet cannot render into a tree that does not exist.
  const fresh = run.dryRun && !run.facts.get(h.name)!.zookeeperVersion;
  const configure = fresh
    ? async () => ({ changed: true, description: 'would write zoo.cfg, java.env and myid' }) as StepResult__Output
    : () =>
        run.fleet.agent(h).configureZooKeeper(
          configureRequest(run.e, h, run.servers, run.myids, run.dryRun, memoryOf(run, h), {
            snapshotTrustEmpty: run.trustEmpty.includes(h.name),
            superDigest: run.superUser?.digest,
            providerHost: !!run.target && providerHasHttpHost(run.target.zookeeper),
            tls: run.quorumTls && {
              stage: run.quorumTls.stage,
              certPem: run.serverCerts.get(h.name),
              caPem: run.tlsCaPem,
            },
          }),
          { signal: run.signal },
        );
  const r = await run.hostStep(h, 'configure', configure);
  if (r) run.configured.set(h.name, r);
}

const memoryOf = (run: DeployRun, h: HostSpec) => Number(run.facts.get(h.name)!.memoryTotalBytes);
