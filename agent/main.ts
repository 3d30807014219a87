#!/usr/bin/env node
import { Command } from 'commander';
import { asZkfError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import { checkOwnCertificate, loadTls } from '../shared/tls';
import { ArtifactStore } from './artifacts';
import { loadAgentConfig, type AgentConfig } from './config';
import { AGENT_VERSION } from './facts';
import { HealthReporter } from './health-reporter';
import { serveMetrics } from '../shared/metrics-http';
import { Host } from './host';
import { RpcMetrics } from './metrics';
import { startAgentServer } from './server';
import { StateFile } from './state';

type Lifecycle = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';

const program = new Command('agent')
  .description(
    "zkfleet agent: the per-host daemon that does the runbook's host work for the coordinator, over mTLS gRPC.",
  )
  .requiredOption('-c, --config <file>', 'agent config (YAML); see README.md "Agent configuration"')
  .option('--check', 'validate the config and TLS files, then exit (0 valid, 2 invalid)')
  .version(AGENT_VERSION)
  .addHelpText(
    'after',
    `
Signals: SIGTERM/SIGINT drain in-flight calls and stop (a second one forces); SIGHUP re-reads the config
(capabilities, dns, exec, coordinator; a changed listen address or TLS file needs a restart).
Exit codes: 0 stopped cleanly, 2 invalid config, 1 any other failure.`,
  );

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{ config: string; check?: boolean }>();
  const log = createLogger().child({ component: 'agent' });
  let config: AgentConfig;
  let tls: Awaited<ReturnType<typeof loadTls>>;
  try {
    config = await loadAgentConfig(opts.config);
    tls = await loadTls(config.tls);
    const own = checkOwnCertificate(tls);
    if (own.name !== config.name)
      throw new Error(`the certificate ${config.tls.cert} is for "${own.name}", but this agent is "${config.name}"`);
  } catch (err) {
    process.stderr.write(`agent: ${asZkfError(err).message}\n`);
    process.exit(2);
  }
  if (opts.check) {
    process.stdout.write(`${opts.config}: valid\n`);
    return;
  }
  let lifecycle: Lifecycle = 'STARTING';
  const host = new Host(config, log);
  const state = StateFile.in(config.stateDir);
  const store = new ArtifactStore(config.stateDir);
  const swept = await store.sweep();
  if (swept) log.info('removed partial uploads left by a crash', { count: swept });
  const metrics = new RpcMetrics();
  const { server, port } = await startAgentServer(host, state, store, tls, metrics);
  const metricsServer = config.metrics
    ? await serveMetrics(config.metrics.listen, () => metrics.render(host.config.name))
    : undefined;
  let reporter = new HealthReporter(host, state, tls);
  reporter.start();
  lifecycle = 'RUNNING';
  log.info('agent listening', {
    name: config.name,
    listen: config.listen,
    port,
    capabilities: config.capabilities,
    root: config.root,
    version: AGENT_VERSION,
  });

  const stop = (signal: string) => {
    if (lifecycle === 'STOPPING') {
      log.warn('second signal: forcing shutdown', { signal });
      server.forceShutdown();
      return;
    }
    if (lifecycle !== 'RUNNING') return;
    lifecycle = 'STOPPING';
    log.info('draining', { signal });
    reporter.stop();
    metricsServer?.close();
    const force = setTimeout(() => server.forceShutdown(), 10_000);
    force.unref();
    server.tryShutdown(() => {
      lifecycle = 'STOPPED';
      clearTimeout(force);
      log.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    loadAgentConfig(opts.config).then(
      (next) => {
        if (next.listen !== host.config.listen || JSON.stringify(next.tls) !== JSON.stringify(host.config.tls)) {
          log.warn('listen address or TLS files changed: restart the agent to apply them');
        }
        host.config = next;
        reporter.stop();
        reporter = new HealthReporter(host, state, tls);
        reporter.start();
        log.info('config reloaded', { capabilities: next.capabilities, coordinator: next.coordinator?.address });
      },
      (err) => log.error('config reload failed; keeping the old config', { error: asZkfError(err).message }),
    );
  });
}

main().catch((err) => {
  process.stderr.write(`agent: ${asZkfError(err).message}\n`);
  process.exit(1);
});
