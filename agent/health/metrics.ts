import { X509Certificate } from 'node:crypto';
import { readFileSync, statfsSync, statSync } from 'node:fs';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isServing } from '../../shared/zookeeper/mode';
import { VERSION } from '../../shared/version';
import type { Host } from '../daemon/host';
import type { StateFile, ZooKeeperState } from '../daemon/state';
import { fourLetterWord } from '../zookeeper/four-letter';
import { mntrField, mntrSeries } from './zookeeper-metrics';

/** RPC durations, in seconds: an agent's calls run from a millisecond (status) to minutes (an upload). */
const RPC_BUCKETS = [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 60, 300];

/**
 * The agent's /metrics, through prom-client (escaping, histograms, process figures): `zkfleet_*` for the agent
 * and what it supervises, `zookeeper_*` from the server's `mntr`. Every series names its `host`; the server's
 * also its `myid`. The ensemble comes from the scrape target's labels (`coordinator monitoring`).
 */
export class AgentMetrics {
  private readonly registry = new Registry();
  private readonly rpcs: Counter<'method' | 'result'>;
  private readonly rpcSeconds: Histogram<'method'>;
  private zookeeper: ZooKeeperState | undefined;
  /** The server's `mntr` answer at this scrape. */
  private mntr: string | undefined;

  constructor(
    private readonly host: Host,
    private readonly state: StateFile,
  ) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ host: host.config.name });
    processMetrics(this.registry);
    this.rpcs = new Counter({
      name: 'zkfleet_agent_rpc_total',
      help: 'RPCs served.',
      labelNames: ['method', 'result'],
      registers,
    });
    this.rpcSeconds = new Histogram({
      name: 'zkfleet_agent_rpc_duration_seconds',
      help: 'Time spent serving RPCs.',
      labelNames: ['method'],
      buckets: RPC_BUCKETS,
      registers,
    });
    this.serverGauges(registers);
    this.hostGauges(registers);
  }

  count(method: string, ok: boolean, ms: number): void {
    this.rpcs.inc({ method, result: ok ? 'ok' : 'error' });
    this.rpcSeconds.observe({ method }, ms / 1000);
  }

  /** One scrape: the state and one `mntr` read once, then every collector reads them. */
  async text(): Promise<string> {
    const zk = (await this.state.read()).zookeeper;
    // A server removed from the ensemble is nobody's concern: no series, so no alert, about it.
    this.zookeeper = zk && zk.desired !== 'removed' ? zk : undefined;
    this.mntr = this.zookeeper
      ? await fourLetterWord(this.zookeeper.clientHost, this.zookeeper.clientPort, 'mntr', 500).catch(() => undefined)
      : undefined;
    const own = await this.registry.metrics();
    return this.zookeeper && this.mntr ? own + mntrSeries(this.mntr, this.serverLabels()) : own;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private serverLabels() {
    return { host: this.host.config.name, myid: String(this.zookeeper!.myid) };
  }

  /** What the agent knows of its server: serving, leading, restarted, which version answers. */
  private serverGauges(registers: Registry[]): void {
    const gauge = (name: string, help: string, value: (mntr: string | undefined) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['myid'],
        registers,
        collect: () => this.setForServer(name, value),
      });
    gauge('zkfleet_zookeeper_serving', '1 while the server answers as leader, follower or observer.', (m) =>
      m && isServing(modeOf(m)) ? 1 : 0,
    );
    gauge('zkfleet_zookeeper_leader', '1 while the server leads.', (m) =>
      m && mntrField(m, 'zk_server_state') === 'leader' ? 1 : 0,
    );
    gauge(
      'zkfleet_zookeeper_restarts_total',
      'Times the supervisor started the server again after it stopped.',
      () => this.zookeeper?.restarts ?? 0,
    );
    new Gauge({
      name: 'zkfleet_zookeeper_version_info',
      help: 'The version the server answers with (1).',
      labelNames: ['myid', 'version'],
      registers,
      collect: () => {
        const g = this.registry.getSingleMetric('zkfleet_zookeeper_version_info') as Gauge<'myid' | 'version'>;
        g.reset();
        const version = this.mntr && mntrField(this.mntr, 'zk_version')?.split(/[-,]/)[0];
        if (this.zookeeper && version) g.set({ myid: String(this.zookeeper.myid), version }, 1);
      },
    });
  }

  private setForServer(name: string, value: (mntr: string | undefined) => number): void {
    const g = this.registry.getSingleMetric(name) as Gauge<'myid'>;
    g.reset();
    if (this.zookeeper) g.set({ myid: String(this.zookeeper.myid) }, value(this.mntr));
  }

  /** The disks under the server's data, and the agent's own certificate. */
  private hostGauges(registers: Registry[]): void {
    const disk = (name: string, help: string, pick: (s: { bavail: number; blocks: number; bsize: number }) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['role', 'path'],
        registers,
        collect: () => {
          const g = this.registry.getSingleMetric(name) as Gauge<'role' | 'path'>;
          g.reset();
          for (const [role, p] of this.dataPaths()) {
            const st = statfsOr(p);
            if (st) g.set({ role, path: p }, pick(st));
          }
        },
      });
    disk('zkfleet_disk_free_bytes', 'Free space for the server user where its data lives.', (s) => s.bavail * s.bsize);
    disk('zkfleet_disk_size_bytes', 'Size of the file system where the server data lives.', (s) => s.blocks * s.bsize);
    new Gauge({
      name: 'zkfleet_certificate_expiry_timestamp_seconds',
      help: "When a certificate expires (the agent's own: kind=agent; its ZooKeeper server's: kind=zookeeper).",
      labelNames: ['kind'],
      registers,
      collect: () => {
        const g = this.registry.getSingleMetric('zkfleet_certificate_expiry_timestamp_seconds') as Gauge<'kind'>;
        g.reset();
        const expiry = certificateExpiry(this.host.config.tls.cert);
        if (expiry) g.set({ kind: 'agent' }, expiry);
        // The ZooKeeper server's (quorum TLS): its expiry as the last configure recorded it, no file read.
        const zk = this.zookeeper?.tlsNotAfter;
        if (zk) g.set({ kind: 'zookeeper' }, Math.floor(new Date(zk).getTime() / 1000));
      },
    });
    new Gauge({
      name: 'zkfleet_agent_info',
      help: 'The agent version (1).',
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        this.set({ version: VERSION }, 1);
      },
    });
  }

  /** The server's data directories (real paths: the same as the host's own where the agent manages `/`). */
  private dataPaths(): Array<[string, string]> {
    const zk = this.zookeeper;
    return zk
      ? [
          ['dataDir', zk.dataDir],
          ['dataLogDir', zk.dataLogDir],
        ]
      : [];
  }
}

function modeOf(mntr: string) {
  const state = mntrField(mntr, 'zk_server_state');
  return state === 'leader' || state === 'follower' || state === 'observer' || state === 'standalone'
    ? state
    : 'not_serving';
}

/**
 * prom-client's process figures, without its event-loop-lag histogram and handle counts: computing those at
 * every scrape was a third of the agent's CPU per scrape (the bench's row), and nothing here alerts on them.
 */
type Collector = (registry: Registry, config: object) => void;

function processMetrics(registry: Registry): void {
  // Static paths, so that the release's bundler carries them.
  const collectors = [
    require('prom-client/lib/metrics/processCpuTotal'),
    require('prom-client/lib/metrics/processStartTime'),
    require('prom-client/lib/metrics/osMemoryHeap'),
    require('prom-client/lib/metrics/processOpenFileDescriptors'),
    require('prom-client/lib/metrics/processMaxFileDescriptors'),
    require('prom-client/lib/metrics/heapSizeAndUsed'),
    require('prom-client/lib/metrics/version'),
  ] as Collector[];
  for (const collect of collectors) collect(registry, {});
}

/** A synchronous read that may fail (a path gone, a certificate not there yet): undefined then. */
function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
const statfsOr = (p: string) => orUndefined(() => statfsSync(p));
const statOr = (p: string) => orUndefined(() => statSync(p));
const readOr = (p: string) => orUndefined(() => readFileSync(p));

let expiryCache: { file: string; mtimeMs: number; expiry: number } | undefined;

/**
 * A certificate's notAfter as seconds since the epoch, parsed again only when the file changes. Synchronous, as the
 * disks' statfs: one cheap syscall costs less than a round trip through libuv's pool and a promise (the bench's
 * CPU per scrape).
 */
function certificateExpiry(file: string): number | undefined {
  const st = statOr(file);
  if (!st) return undefined;
  if (expiryCache?.file === file && expiryCache.mtimeMs === st.mtimeMs) return expiryCache.expiry;
  const pem = readOr(file);
  try {
    const expiry = Math.floor(new Date(new X509Certificate(pem!).validTo).getTime() / 1000);
    expiryCache = { file, mtimeMs: st.mtimeMs, expiry };
    return expiry;
  } catch {
    return undefined;
  }
}
