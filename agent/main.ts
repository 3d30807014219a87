#!/usr/bin/env node
import { Command } from 'commander';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { asZkfError } from '../shared/errors';
import { readFileOr, writeFileAtomic } from '../shared/fs-atomic';
import { createLogger } from '../shared/logger';
import { VERSION } from '../shared/version';
import { AgentDaemon, loadChecked } from './daemon/lifecycle';

// Started through the release's own loader, the process would be named "ld-linux-x86-64" in ps, ss and the
// journal (bootstrap's probe recognises its agent on the port by that name): it takes its own.
process.title = 'zkfleet-agent';

const program = new Command('zkfleet-agent')
  .description(
    "zkfleet agent: the per-host daemon that does the runbook's host work for the coordinator, over mTLS gRPC.",
  )
  .option('-c, --config <file>', 'agent config (YAML); see README.md "Agent configuration"')
  .option('--check', 'validate the config and TLS files, then exit (0 valid, 2 invalid)')
  .version(VERSION)
  .addHelpText(
    'after',
    `
Signals: SIGTERM/SIGINT drain in-flight calls and stop (a second one forces); SIGHUP re-reads the config
(capabilities, dns, exec, coordinator; a changed listen address or TLS file needs a restart).
Exit codes: 0 stopped cleanly, 2 invalid config, 1 any other failure.`,
  )
  .action((o: { config?: string; check?: boolean }) => runDaemon(o));

program
  .command('keygen')
  .requiredOption('--name <host>', 'the host name the certificate will carry')
  .requiredOption('--key <file>', 'where the private key lives (created 0600 when missing, kept when present)')
  .description("make this host's key (once) and print a certificate request for it; `coordinator bootstrap` runs it")
  .action((o: { name: string; key: string }) => keygen(o));

async function runDaemon(o: { config?: string; check?: boolean }): Promise<void> {
  if (!o.config) program.error('error: --config <file> is required', { exitCode: 64 });
  const loaded = await loadChecked(o.config!).catch((err) => {
    process.stderr.write(`agent: ${asZkfError(err).message}\n`);
    process.exit(2);
  });
  if (o.check) {
    process.stdout.write(`${o.config}: valid\n`);
    return;
  }
  const log = createLogger().child({ component: 'agent' });
  const daemon = new AgentDaemon(o.config!, loaded.config, loaded.tls, log);
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

/** The key is made here and never leaves the host: only the request is printed. */
async function keygen(o: { name: string; key: string }): Promise<void> {
  // The certificate library is loaded only here: the daemon does not carry it.
  const { keyAndRequest } = require('../shared/pki/pki') as typeof import('../shared/pki/pki');
  const existing = await readFileOr(o.key);
  const { keyPem, csrPem } = await keyAndRequest(o.name, existing);
  if (existing === undefined) {
    await fs.mkdir(path.dirname(o.key), { recursive: true, mode: 0o755 });
    await writeFileAtomic(o.key, keyPem, { mode: 0o600 });
  }
  process.stdout.write(csrPem);
}

program.parseAsync().catch((err) => {
  process.stderr.write(`agent: ${asZkfError(err).message}\n`);
  process.exit(1);
});
