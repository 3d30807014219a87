#!/usr/bin/env node
import { Command } from 'commander';
import { asZkfError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import { AgentDaemon, loadChecked } from './daemon';
import { AGENT_VERSION } from './facts';

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
  const loaded = await loadChecked(opts.config).catch((err) => {
    process.stderr.write(`agent: ${asZkfError(err).message}\n`);
    process.exit(2);
  });
  if (opts.check) {
    process.stdout.write(`${opts.config}: valid\n`);
    return;
  }
  const log = createLogger().child({ component: 'agent' });
  const daemon = new AgentDaemon(opts.config, loaded.config, loaded.tls, log);
  await daemon.start();
  const stop = (signal: string) => {
    log.info('draining', { signal });
    void daemon.stop().then(() => {
      log.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => void daemon.reload());
}

main().catch((err) => {
  process.stderr.write(`agent: ${asZkfError(err).message}\n`);
  process.exit(1);
});
