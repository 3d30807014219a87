import type * as grpc from '@grpc/grpc-js';
import type http from 'node:http';
import { asZkfError, ZkfError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { serveMetrics } from '../../shared/metrics-http';
import { checkOwnCertificate, loadTls, type TlsMaterial } from '../../shared/pki/tls';
import { ArtifactStore } from '../artifacts/store';
import { loadAgentConfig, type AgentConfig } from './config';
import { VERSION } from '../../shared/version';
import { HealthReporter } from '../health/reporter';
import { Host } from './host';
import { AgentMetrics } from '../health/metrics';
import { startAgentServer } from './server';
import { StateFile } from './state';
import { ZooKeeperSupervisor } from '../zookeeper/supervisor';

export type Lifecycle = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';

/** Read and check the config and the TLS files: a bad file or certificate stops the agent before anything. */
export async function loadChecked(configFile: string): Promise<{ config: AgentConfig; tls: TlsMaterial }> {
  const config = await loadAgentConfig(configFile);
  const tls = await loadTls(config.tls);
  const own = checkOwnCertificate(tls);
  if (own.name !== config.name) {
    const why = `the certificate ${config.tls.cert} is for "${own.name}", but this agent is "${config.name}"`;
    throw new ZkfError('CONFIG_INVALID', why);
  }
  return { config, tls };
}

/**
 * The agent daemon: named states, a start that binds the gRPC server and starts reporting, a reload that
 * re-reads the config (SIGHUP), and a drain-then-stop that is safe to call twice (a second call forces).
 */
export class AgentDaemon {
  state: Lifecycle = 'STARTING';
  port = 0;
  readonly host: Host;
  private server: grpc.Server | undefined;
  private metricsServer: http.Server | undefined;
  private reporter: HealthReporter | undefined;
  private readonly stateFile: StateFile;
  private readonly store: ArtifactStore;
  private readonly metrics: AgentMetrics;
  private readonly supervisor: ZooKeeperSupervisor;

  constructor(
    private readonly configFile: string,
    config: AgentConfig,
    private readonly tls: TlsMaterial,
    private readonly log: Logger,
  ) {
    this.host = new Host(config, log);
    this.stateFile = StateFile.in(config.stateDir);
    this.metrics = new AgentMetrics(this.host, this.stateFile);
    this.store = new ArtifactStore(config.stateDir);
    this.supervisor = new ZooKeeperSupervisor(this.host, this.stateFile);
  }

  async start(): Promise<void> {
    const swept = await this.store.sweep();
    if (swept) this.log.info('removed partial uploads left by a crash', { count: swept });
    const parts = { host: this.host, state: this.stateFile, store: this.store, metrics: this.metrics };
    const { server, port } = await startAgentServer(parts, this.tls);
    this.server = server;
    this.port = port;
    const m = this.host.config.metrics;
    if (m) this.metricsServer = await serveMetrics(m.listen, () => this.metrics.text());
    this.startReporter();
    this.supervisor.start();
    this.state = 'RUNNING';
    const c = this.host.config;
    const meta = { name: c.name, listen: c.listen, port, capabilities: c.capabilities, root: c.root };
    this.log.info('agent listening', { ...meta, version: VERSION });
  }

  private startReporter(): void {
    this.reporter?.stop();
    this.reporter = new HealthReporter(this.host, this.stateFile, this.tls);
    this.reporter.start();
  }

  /** Re-read the config: capabilities, dns, exec, coordinator apply at once; listen and TLS need a restart. */
  async reload(): Promise<void> {
    try {
      const next = await loadAgentConfig(this.configFile);
      const c = this.host.config;
      if (next.listen !== c.listen || JSON.stringify(next.tls) !== JSON.stringify(c.tls)) {
        this.log.warn('listen address or TLS files changed: restart the agent to apply them');
      }
      this.host.config = next;
      this.startReporter();
      this.log.info('config reloaded', { capabilities: next.capabilities, coordinator: next.coordinator?.address });
    } catch (err) {
      this.log.error('config reload failed; keeping the old config', { error: asZkfError(err).message });
    }
  }

  /** Drain in-flight calls, then stop; a second call while draining forces the shutdown. */
  stop(): Promise<void> {
    if (this.state === 'STOPPING') {
      this.log.warn('second stop: forcing shutdown');
      this.server?.forceShutdown();
      return Promise.resolve();
    }
    if (this.state !== 'RUNNING') return Promise.resolve();
    this.state = 'STOPPING';
    this.reporter?.stop();
    this.supervisor.stop();
    this.metricsServer?.close();
    return new Promise((resolve) => {
      const force = setTimeout(() => this.server?.forceShutdown(), 10_000);
      force.unref();
      this.server!.tryShutdown(() => {
        clearTimeout(force);
        this.state = 'STOPPED';
        resolve();
      });
    });
  }
}
