import { Command } from 'commander';
import path from 'node:path';
import { usageError } from '../../shared/errors';
import type { BootstrapResult } from '../bootstrap';
import { defaultReleaseFile } from '../bootstrap/release';
import { loadEnsemble } from '../ensemble/file';
import { table } from '../output/format';
import { progressFor } from '../output/progress';
import { collect, fail, interruptSignal, positiveInt, writeJson } from './common';

interface BootstrapFlags {
  host: string[];
  sshUser?: string;
  sshKey?: string;
  sshPort?: number;
  sshConfig?: string;
  release?: string;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function renderBootstrap(r: BootstrapResult): string {
  const rows = r.hosts.map((h) => {
    const changed = h.steps.filter((s) => s.changed).map((s) => s.step);
    const what = h.error
      ? `FAILED: ${h.error.split('\n')[0].slice(0, 160)}`
      : changed.length
        ? changed.join(', ')
        : 'unchanged';
    return [h.name, h.version ?? '-', what];
  });
  const head = `release ${r.release?.version ?? '-'} (sha256 ${r.release?.sha256.slice(0, 16) ?? '-'}…)\n\n`;
  const verdict = r.error
    ? `bootstrap FAILED: ${r.error.message}`
    : r.dryRun
      ? 'dry run: nothing was touched'
      : r.exitCode === 2
        ? 'bootstrap finished with failed hosts (see above)'
        : r.changed
          ? 'agents installed and answering'
          : 'no change: every agent already runs this release with this configuration';
  return head + table(['HOST', 'AGENT', 'CHANGED'], rows) + `\n${verdict}\n`;
}

const BOOTSTRAP_HELP = `
Per host, over the system's ssh (your config, keys and known_hosts; host keys are always checked):
  probe        arch, kernel, systemd version, free space, the agent port; a host that cannot run the agent is refused
               with the reason, before anything on it changes
  release      unpacked under /opt/zkfleet-agent/releases/<version> (sha256 checked), linked as current
  key          made on the host (/etc/zkfleet/agent.key, 0600); only a certificate request travels, and the
               CA signs it for the host's name and address in the ensemble file
  config, unit /etc/zkfleet/agent.yaml from the host's entry; the systemd unit, enabled and started
  answer       the agent answers over mTLS with its name and the release's version
A second run with nothing changed changes nothing. Hosts with an older agent are upgraded one at a time;
the ZooKeeper servers keep running; a new agent that does not answer is rolled back on that host, and the
hosts after it are left alone.

Exit codes: 0 done, 1 error (no release, bad file), 2 some hosts failed or were refused, 64 usage.

Examples:
  coordinator bootstrap ensemble.yaml --dry-run
  coordinator bootstrap ensemble.yaml --ssh-user root --ssh-key ~/.ssh/ops_ed25519
  coordinator bootstrap ensemble.yaml --host hdss7-12 --release zkfleet-agent-0.2.0-linux-x64.tar.gz
`;

export function registerBootstrap(program: Command): void {
  program
    .command('bootstrap')
    .argument('<file>', 'the ensemble file: its hosts get the agent')
    .option('--host <name>', 'only this host; repeatable', collect, [])
    .option('--ssh-user <user>', 'log in as this user (default: your ssh config, then your user)')
    .option('--ssh-key <file>', 'identity file (default: your ssh config and agent)')
    .option('--ssh-port <port>', 'ssh port (default: your ssh config, then 22)', positiveInt('--ssh-port'))
    .option('--ssh-config <file>', 'an ssh config file to use instead of ~/.ssh/config')
    .option('--release <tarball>', 'the agent release (default: release/ of this coordinator, from `npm run release`)')
    .option('--dry-run', 'probe the hosts and print what would change; change nothing')
    .option('--json', 'machine-readable result on stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .description('install, configure, certify and start the agent on the hosts over ssh; upgrade it one host at a time')
    .addHelpText('after', BOOTSTRAP_HELP)
    .action(runBootstrap);
}

async function runBootstrap(file: string, o: BootstrapFlags): Promise<void> {
  try {
    const e = await loadEnsemble(file, { checkArtifacts: false });
    const unknown = o.host.filter((h) => !e.spec.hosts.some((x) => x.name === h));
    if (unknown.length) throw usageError(`--host ${unknown.join(', ')}: not in ${file}`);
    const progress = progressFor(process.stderr, !!o.quiet);
    const signal = interruptSignal();
    const ssh = { user: o.sshUser, identityFile: o.sshKey, port: o.sshPort, configFile: o.sshConfig };
    const release = path.resolve(o.release ?? defaultReleaseFile());
    // Loaded when it runs: bootstrap carries the certificate library and SSH.
    const { bootstrap } = require('../bootstrap') as typeof import('../bootstrap');
    const r = await bootstrap(e, { hosts: o.host, ssh, release, dryRun: !!o.dryRun, progress, signal });
    progress.close();
    if (o.json) writeJson(r);
    else process.stdout.write(renderBootstrap(r));
    process.exitCode = signal.aborted ? 130 : r.exitCode;
  } catch (err) {
    process.exitCode = fail(err, !!o.json);
  }
}
