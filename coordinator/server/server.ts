import * as grpc from '@grpc/grpc-js';
import type http from 'node:http';
import { toServiceError, ZkfError } from '../../shared/errors';
import { tuneServer } from '../../shared/grpc-tuning';
import type { Logger } from '../../shared/logger';
import { serveMetrics } from '../../shared/metrics-http';
import { BackupSchedule } from './backups';
import { certPaths, pkiPaths } from '../../shared/pki/paths';
import { zkfleetProto } from '../../shared/proto';
import type { HealthReport__Output, ReportAck } from '../../shared/generated/wire';
import { checkOwnCertificate, loadTls, requireRole, serverCredentials } from '../../shared/pki/tls';
import type { ServeConfig } from './config';
import { HealthStore, lowDiskOf } from './health-store';
import { MODES } from '../../shared/zookeeper/mode';

type Lifecycle = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';

/** The coordinator server: accepts health reports over mTLS and serves the fleet's view and /metrics. */
export class CoordinatorServer {
  state: Lifecycle = 'STARTING';
  private readonly grpcServer = new grpc.Server();
  private metricsServer: http.Server | undefined;
  // Open report streams: ended on stop, so a drain does not wait for agents that would never hang up.
  private readonly reportStreams = new Set<grpc.ServerDuplexStream<HealthReport__Output, ReportAck>>();
  readonly store: HealthStore;
  readonly backups: BackupSchedule | undefined;
  port = 0;

  constructor(
    private readonly config: ServeConfig,
    private readonly log: Logger,
  ) {
    this.store = new HealthStore(config.stateDir, log);
    const event = (host: string, kind: string, detail: string) => this.store.event(host, kind, detail);
    this.backups = config.backup && new BackupSchedule(config.backup, event, log);
  }

  async start(): Promise<void> {
    await this.store.open();
    const tls = await loadTls({ ca: pkiPaths(this.config.pki).caCert, ...certPaths(this.config.pki, 'coordinator') });
    checkOwnCertificate(tls);
    this.grpcServer.addService(zkfleetProto().zkfleet.v1.Coordinator.service, this.handlers());
    this.port = await new Promise<number>((resolve, reject) => {
      this.grpcServer.bindAsync(this.config.listen, serverCredentials(tls), (err, port) =>
        err
          ? reject(new ZkfError('UNAVAILABLE', `cannot listen on ${this.config.listen}: ${err.message}`))
          : resolve(port),
      );
    });
    tuneServer(this.grpcServer, this.log);
    if (this.config.metrics) this.metricsServer = await serveMetrics(this.config.metrics.listen, () => this.metrics());
    await this.backups?.start();
    this.state = 'RUNNING';
    this.log.info('coordinator server listening', {
      listen: this.config.listen,
      metrics: this.config.metrics?.listen,
      stateDir: this.config.stateDir,
    });
  }

  /** Reports from agents (their own name only); the view for coordinator certificates. */
  private handlers(): grpc.UntypedServiceImplementation {
    return {
      Report: (call: grpc.ServerUnaryCall<HealthReport__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        try {
          cb(null, { receivedAtMs: this.acceptFrom(requireRole(call, 'agent').name, call.request) });
        } catch (err) {
          this.log.warn('report refused', { peer: call.getPeer(), error: (err as Error).message });
          cb(toServiceError(err));
        }
      },
      ReportStream: (call: grpc.ServerDuplexStream<HealthReport__Output, ReportAck>) => this.reportStream(call),
      GetView: (call: grpc.ServerUnaryCall<{ maxEvents: number }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        try {
          requireRole(call, 'coordinator');
          const v = this.store.view(call.request.maxEvents || 100);
          cb(null, {
            nowMs: Date.now(),
            events: v.events,
            hosts: v.hosts.map((h) => ({
              name: h.name,
              receivedAtMs: h.receivedAtMs,
              stale: h.stale,
              report: h.report,
            })),
          });
        } catch (err) {
          cb(toServiceError(err));
        }
      },
    };
  }

  /** A report is taken only from the certificate of the host it is about. */
  private acceptFrom(peerName: string, report: HealthReport__Output): number {
    if (peerName !== report.name)
      throw new ZkfError('PERMISSION_DENIED', `the certificate of "${peerName}" cannot report for "${report.name}"`);
    return this.store.accept(report);
  }

  /** Reports over one stream: the certificate is read once, each report acknowledged in order. */
  private reportStream(call: grpc.ServerDuplexStream<HealthReport__Output, ReportAck>): void {
    let peerName: string;
    try {
      peerName = requireRole(call, 'agent').name;
    } catch (err) {
      this.log.warn('report stream refused', { peer: call.getPeer(), error: (err as Error).message });
      call.emit('error', toServiceError(err));
      return;
    }
    call.on('data', (report: HealthReport__Output) => {
      try {
        call.write({ receivedAtMs: this.acceptFrom(peerName, report) });
      } catch (err) {
        this.log.warn('report refused', { peer: call.getPeer(), error: (err as Error).message });
        call.emit('error', toServiceError(err));
      }
    });
    this.reportStreams.add(call);
    const forget = () => this.reportStreams.delete(call);
    call.on('end', () => {
      forget();
      call.end();
    });
    call.on('error', forget);
    call.on('cancelled', forget);
  }

  metrics(): string {
    const now = Date.now();
    const { hosts } = this.store.view(0);
    const modes = MODES.filter((m) => m !== 'unknown');
    const zxidNum = (z: string) => (/^0x[0-9a-f]+$/i.test(z) ? Number(BigInt(z)) : 0);
    const lines = [
      '# HELP zkfleet_host_up 1 while the host reports within its TTL.',
      '# TYPE zkfleet_host_up gauge',
      ...hosts.map((h) => `zkfleet_host_up{host="${h.name}"} ${h.stale ? 0 : 1}`),
      '# HELP zkfleet_report_age_seconds Age of the latest health report.',
      '# TYPE zkfleet_report_age_seconds gauge',
      ...hosts.map((h) => `zkfleet_report_age_seconds{host="${h.name}"} ${((now - h.receivedAtMs) / 1000).toFixed(3)}`),
      '# HELP zkfleet_zookeeper_mode The server mode (1 for the current one).',
      '# TYPE zkfleet_zookeeper_mode gauge',
      ...hosts.flatMap((h) =>
        modes.map(
          (m) => `zkfleet_zookeeper_mode{host="${h.name}",mode="${m}"} ${h.report.zookeeper?.mode === m ? 1 : 0}`,
        ),
      ),
      '# TYPE zkfleet_zookeeper_zxid gauge',
      ...hosts.map((h) => `zkfleet_zookeeper_zxid{host="${h.name}"} ${zxidNum(h.report.zookeeper?.zxid ?? '')}`),
      '# TYPE zkfleet_zookeeper_latency_avg_ms gauge',
      ...hosts.map((h) => `zkfleet_zookeeper_latency_avg_ms{host="${h.name}"} ${h.report.zookeeper?.latencyAvg ?? 0}`),
      '# TYPE zkfleet_zookeeper_outstanding_requests gauge',
      ...hosts.map(
        (h) => `zkfleet_zookeeper_outstanding_requests{host="${h.name}"} ${h.report.zookeeper?.outstanding ?? 0}`,
      ),
      '# TYPE zkfleet_zookeeper_connections gauge',
      ...hosts.map((h) => `zkfleet_zookeeper_connections{host="${h.name}"} ${h.report.zookeeper?.connections ?? 0}`),
      '# HELP zkfleet_zookeeper_restarts_total Times the server was started again after it stopped by itself.',
      '# TYPE zkfleet_zookeeper_restarts_total counter',
      ...hosts.map((h) => `zkfleet_zookeeper_restarts_total{host="${h.name}"} ${h.report.zookeeper?.restarts ?? 0}`),
      '# TYPE zkfleet_drift gauge',
      ...hosts.map((h) => `zkfleet_drift{host="${h.name}"} ${h.report.drift.length ? 1 : 0}`),
      '# TYPE zkfleet_disk_low gauge',
      ...hosts.map((h) => `zkfleet_disk_low{host="${h.name}"} ${lowDiskOf(h.report) ? 1 : 0}`),
      '# TYPE zkfleet_disk_free_bytes gauge',
      ...hosts.flatMap((h) =>
        h.report.disks.map((d) => `zkfleet_disk_free_bytes{host="${h.name}",path="${d.path}"} ${d.freeBytes}`),
      ),
      '# TYPE zkfleet_reports_total counter',
      `zkfleet_reports_total ${this.store.reportsTotal}`,
      ...(this.backups?.metrics() ?? []),
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage().rss}`,
    ];
    return lines.join('\n') + '\n';
  }

  /** Drain: stop taking reports, finish the ones in flight, write the state. Safe to call twice. */
  async stop(force = false): Promise<void> {
    if (this.state === 'STOPPING' || this.state === 'STOPPED') {
      if (force) this.grpcServer.forceShutdown();
      return;
    }
    this.state = 'STOPPING';
    this.metricsServer?.close();
    await this.backups?.stop();
    for (const call of this.reportStreams) call.end();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.grpcServer.forceShutdown();
        resolve();
      }, 5000);
      this.grpcServer.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
    await this.store.close();
    this.state = 'STOPPED';
  }
}
