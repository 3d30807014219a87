import { Command, Option } from 'commander';
import { deploy, type DeployOptions, type DeployResult, type HostReport } from '../deploy';
import { loadEnsemble, type Ensemble } from '../ensemble/file';
import { table } from '../output/format';
import { progressFor } from '../output/progress';
import { fail, interruptSignal, writeJson } from './common';

function changedSteps(h: HostReport): string {
  if (h.error) return `FAILED: ${h.error.split('\n')[0].slice(0, 160)}`;
  if (!h.changed) return 'unchanged';
  return h.steps
    .filter((s) => s.changed)
    .map((s) => s.step)
    .join(', ');
}

function imageLine(r: DeployResult): string {
  if (!r.image) return '';
  const built = r.dryRun ? 'would be built and pushed' : `built with ${r.image.builder} and pushed`;
  const digest = r.image.digest ? ` ${r.image.digest}` : '';
  return `\nimage     ${r.image.tag} ${r.image.changed ? built : 'unchanged'}${digest}\n`;
}

function verdict(r: DeployResult): string {
  const secs = (r.durationMs / 1000).toFixed(1);
  if (r.dryRun)
    return r.changed
      ? 'dry run: the changes above would be made; nothing was touched'
      : 'dry run: nothing would change';
  if (r.error) return `${r.command} FAILED: ${r.error.message}`;
  if (r.exitCode === 2) return `${r.command} finished with failed hosts (see above)`;
  const done = { deploy: 'deployed', rollback: 'rolled back', restore: 'restored' }[r.command];
  return r.changed ? `${done} in ${secs} s` : `no change: nothing was touched, nothing restarted (${secs} s)`;
}

function leaseLines(r: DeployResult): string {
  return (r.brokenLeases ?? []).map((l) => `lease     ${l}\n`).join('');
}

export function renderDeploySummary(r: DeployResult): string {
  const rows = r.hosts
    .filter((h) => h.steps.length)
    .map((h) => [
      h.name,
      h.myid ? String(h.myid) : '-',
      h.dnsName ?? '-',
      h.mode ?? '-',
      h.zxid ?? '-',
      changedSteps(h),
    ]);
  const body = table(['HOST', 'MYID', 'DNS NAME', 'MODE', 'ZXID', 'CHANGED'], rows);
  const registry = r.registry ? `\nregistry  ${r.registry}\n` : '';
  const plan = r.plan?.length ? `\n${r.plan.join('\n')}\n` : '';
  return `${body}${imageLine(r)}${registry}${leaseLines(r)}${plan}\n${verdict(r)}\n`;
}

interface DeployFlags {
  dryRun?: boolean;
  only?: 'image' | 'zookeeper';
  json?: boolean;
  stateDir?: string;
  verify: boolean;
  quiet?: boolean;
  allowDowngrade?: boolean;
  allowOutage?: boolean;
  breakLock?: boolean;
}

/** Run a deploy or a rollback and print it; the exit code says how it went. */
export async function runAndReport(
  file: string,
  o: DeployFlags,
  go: (ensemble: Ensemble, opts: DeployOptions) => Promise<DeployResult>,
): Promise<void> {
  try {
    const ensemble = await loadEnsemble(file, { stateDir: o.stateDir });
    const progress = progressFor(process.stderr, !!o.quiet);
    const signal = interruptSignal();
    const result = await go(ensemble, {
      dryRun: !!o.dryRun,
      only: o.only,
      progress,
      signal,
      skipVerify: !o.verify,
      allowDowngrade: !!o.allowDowngrade,
      allowOutage: !!o.allowOutage,
      breakLock: !!o.breakLock,
    });
    progress.close();
    if (o.json) writeJson(result);
    else process.stdout.write(renderDeploySummary(result));
    if (result.error && !o.json) process.stderr.write(`error: ${result.error.message}\n`);
    process.exitCode = signal.aborted ? 130 : result.exitCode;
  } catch (err) {
    process.exitCode = fail(err, !!o.json);
  }
}

/** The options deploy and rollback share. */
export function withRunOptions(c: Command): Command {
  return c
    .option('--dry-run', 'print the plan: per host, each step and whether it would change; touch nothing')
    .option('--json', 'print the result as JSON on stdout (progress stays on stderr)')
    .option('--state-dir <dir>', 'where myids and deploy state live (default: .zkfleet/<name> next to the file)')
    .option('--no-verify', 'skip the client check (write a znode, read it from every server)')
    .option(
      '--break-lock',
      'take the deploy lease even from a live holder (another deploy or rollback): it is printed and audited',
    )
    .option('-q, --quiet', 'no progress on stderr');
}

export function registerDeploy(program: Command): void {
  withRunOptions(program.command('deploy').argument('<file>', 'the ensemble file (see examples/ensemble.yaml)'))
    .addOption(
      new Option('--only <part>', 'run one part: zookeeper (with DNS) or image').choices(['zookeeper', 'image']),
    )
    .option('--allow-downgrade', 'install an older minor version of ZooKeeper or the JDK than the hosts have')
    .option(
      '--allow-outage',
      'let a membership step that cannot keep the quorum go ahead (a dead server replaced without reconfig): ' +
        'the ensemble does not serve for a few seconds; acknowledged writes are kept',
    )
    .description(
      'take the hosts to the ensemble the file describes: DNS, JDK, ZooKeeper, zoo.cfg/myid, start or roll, ' +
        'quorum, client check',
    )
    .addHelpText(
      'after',
      `
Steps, per host and in order: facts, dns (on the DNS host), resolve, upload-jdk, upload-zookeeper,
install-jdk, install-zookeeper, configure, start or restart (rolling: followers first, leader last), then
the quorum wait and the client check. Every step is idempotent: a second deploy changes nothing.

Upgrades: a new ZooKeeper or JDK tarball in the file is unpacked beside the current one on every host, and
each server moves to it at its own turn in the roll (followers first, leader last), checked on the version
it reports before the next one goes. A server that does not come back on it is moved back, and the deploy
stops with exit 1. An older minor version than the hosts have is refused (--allow-downgrade); to go back to
what ran before, use \`coordinator rollback\`.

Membership: the file is the membership. Hosts added to or removed from it are a membership change, planned
and shown before anything is touched (--dry-run prints the plan alone): one voter per step, the new server
started with the new list and the others rolled onto it (followers first, leader last); a removed server's
peers rolled onto the list without it, then it is stopped for good (its agent keeps it stopped, its data is
moved aside, never deleted, its DNS record goes). A step that would lose the quorum with the servers serving
now is refused with what to do instead. A re-run after an interruption goes on from the step it reached.

One deploy at a time: the deploy holds a lease on every agent (renewed while it runs, expiring by itself
timeouts.leaseMs after a coordinator that died). A second deploy or rollback is refused with exit 75,
naming the holder.

Exit codes: 0 done (or nothing to do), 1 error (bad file, unreachable host, DNS, quorum, a failed upgrade,
a refused membership change), 2 some hosts failed, 64 usage, 75 another deploy holds the ensemble,
130 interrupted.

Examples:
  coordinator deploy ensemble.yaml --dry-run
  coordinator deploy ensemble.yaml
  coordinator deploy ensemble.yaml --only image --json
`,
    )
    .action((file: string, o: DeployFlags) => runAndReport(file, o, deploy));
}
