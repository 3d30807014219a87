import os from 'node:os';
import { readFileOr } from '../../shared/fs-atomic';
import { sha256 } from '../../shared/hash';
import { zkfleetProto, type CoordinatorClient } from '../../shared/proto';
import type { HealthReport } from '../../shared/generated/wire';
import { clientCredentials, diagnoseTls, type TlsMaterial } from '../../shared/pki/tls';
import { diskOf } from './facts';
import { PROTOCOL_VERSION, VERSION } from '../../shared/version';
import type { Host } from '../daemon/host';
import { installedVersionAt } from '../artifacts/install';
import { ReportChannel } from './report-channel';
import type { StateFile } from '../daemon/state';
import { zooKeeperStatus } from '../zookeeper/status';

/** Files zkfleet wrote that someone changed by hand since. */
export async function driftOf(state: StateFile): Promise<string[]> {
  const zk = (await state.read()).zookeeper;
  if (!zk) return [];
  const [cfg, myid] = await Promise.all([readFileOr(zk.cfgFile), readFileOr(`${zk.dataDir}/myid`)]);
  const drift: string[] = [];
  if (cfg === undefined) drift.push('zoo.cfg missing');
  else if (sha256(cfg) !== zk.cfgSha256) drift.push('zoo.cfg edited by hand');
  if (myid === undefined) drift.push('myid missing');
  else if (sha256(myid) !== zk.myidSha256) drift.push('myid edited by hand');
  return drift;
}

export async function buildReport(host: Host, state: StateFile, ttlMs: number): Promise<HealthReport> {
  const watch = host.config.coordinator?.watchPaths ?? [];
  const zk = (await state.read()).zookeeper;
  const [zookeeper, drift, disks, jdk, zkVersion] = await Promise.all([
    zooKeeperStatus(state, 0),
    driftOf(state),
    Promise.all(watch.map((p) => diskOf(host.path(p), p))),
    zk ? installedVersionAt(zk.jdkHome) : Promise.resolve(''),
    zk ? installedVersionAt(zk.home) : Promise.resolve(''),
  ]);
  return {
    name: host.config.name,
    sentAtMs: Date.now(),
    ttlMs,
    zookeeper,
    drift,
    disks,
    facts: {
      name: host.config.name,
      hostname: os.hostname(),
      cpus: os.availableParallelism(),
      load1: os.loadavg()[0],
      memoryTotalBytes: os.totalmem(),
      memoryAvailableBytes: os.freemem(),
      jdkVersion: jdk,
      zookeeperVersion: zkVersion,
      zookeeperMode: zookeeper.mode,
      myid: zookeeper.myid,
      agentVersion: VERSION,
      protocolVersion: PROTOCOL_VERSION,
      capabilities: [...host.config.capabilities],
    },
  };
}

/**
 * Push a health report to the coordinator server every interval, with ±10 % jitter so a fleet does not
 * report in lockstep. The TTL sent along is three intervals: two missed reports in a row mark the host stale.
 */
export class HealthReporter {
  private timer: NodeJS.Timeout | undefined;
  private client: CoordinatorClient | undefined;
  private channel: ReportChannel | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly host: Host,
    private readonly state: StateFile,
    private readonly tls: TlsMaterial,
  ) {}

  start(): void {
    const c = this.host.config.coordinator;
    if (!c) return;
    const Coordinator = zkfleetProto().zkfleet.v1.Coordinator;
    this.client = new Coordinator(c.address, clientCredentials(this.tls, { role: 'coordinator' }), {
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 5000,
    });
    this.channel = new ReportChannel(this.client);
    this.schedule(Math.random() * Math.min(1000, c.reportIntervalMs));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const c = this.host.config.coordinator;
    if (!c || !this.channel) return;
    try {
      const report = await buildReport(this.host, this.state, c.reportIntervalMs * 3);
      await this.channel!.send(report, Math.min(5000, c.reportIntervalMs));
      if (this.failures)
        this.host.log.info('health reports reach the coordinator again', {
          coordinator: c.address,
          after: this.failures,
        });
      this.failures = 0;
    } catch (err) {
      // Log the first failure and then every 30th, not every interval.
      if (this.failures++ % 30 === 0) {
        const why =
          (err as { code?: number }).code === 14
            ? await diagnoseTls(c.address, this.tls, { role: 'coordinator' })
            : (err as Error).message;
        this.host.log.warn('health report failed', { coordinator: c.address, error: why });
      }
    }
    const jitter = c.reportIntervalMs * (0.9 + Math.random() * 0.2);
    this.schedule(jitter);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.channel?.close();
    this.client?.close();
  }
}
