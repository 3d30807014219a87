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
import type { Registry } from 'prom-client';
import { HealthStore } from './health-store';
import { serverRegistry } from './metrics';

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
  private readonly registry: Registry;
  port = 0;

  constructor(
    private readonly config: ServeConfig,
    private readonly log: Logger,
  ) {
    this.store = new HealthStore(config.stateDir, log);
    const event = (host: string, kind: string, detail: string) => this.store.event(host, kind, detail);
    this.backups = config.backup && new BackupSchedule(config.backup, event, log);
    this.registry = serverRegistry(this.store, this.backups);
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

  /** The /metrics text (coordinator/server/metrics.ts). */
  metrics(): Promise<string> {
    return this.registry.metrics();
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
