import { Command, Option } from 'commander';
import { deploy, type DeployResult, type HostReport } from '../deploy';
import { loadEnsemble } from '../ensemble';
import { table } from '../format';
import { progressFor } from '../progress';
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
  if (r.error) return `deploy FAILED: ${r.error.message}`;
  if (r.exitCode === 2) return 'deploy finished with failed hosts (see above)';
  return r.changed ? `deployed in ${secs} s` : `no change: nothing was touched, nothing restarted (${secs} s)`;
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
  return `${body}${imageLine(r)}${r.registry ? `\nregistry  ${r.registry}\n` : ''}\n${verdict(r)}\n`;
}

interface DeployFlags {
  dryRun?: boolean;
  only?: 'image' | 'zookeeper';
  json?: boolean;
  stateDir?: string;
  verify: boolean;
  quiet?: boolean;
}

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .argument('<file>', 'the ensemble file (see examples/ensemble.yaml)')
    .option('--dry-run', 'print the plan: per host, each step and whether it would change; touch nothing')
    .addOption(
      new Option('--only <part>', 'run one part: zookeeper (with DNS) or image').choices(['zookeeper', 'image']),
    )
    .option('--json', 'print the result as JSON on stdout (progress stays on stderr)')
    .option('--state-dir <dir>', 'where myids and deploy state live (default: .zkfleet/<name> next to the file)')
    .option('--no-verify', 'skip the client check (write a znode, read it from every server)')
    .option('-q, --quiet', 'no progress on stderr')
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

Exit codes: 0 done (or nothing to do), 1 error (bad file, unreachable host, DNS, quorum), 2 some hosts
failed, 64 usage, 130 interrupted.

Examples:
  coordinator deploy ensemble.yaml --dry-run
  coordinator deploy ensemble.yaml
  coordinator deploy ensemble.yaml --only image --json
`,
    )
    .action(async (file: string, o: DeployFlags) => {
      try {
        const ensemble = await loadEnsemble(file, { stateDir: o.stateDir });
        const progress = progressFor(process.stderr, !!o.quiet);
        const signal = interruptSignal();
        const result = await deploy(ensemble, {
          dryRun: !!o.dryRun,
          only: o.only,
          progress,
          signal,
          skipVerify: !o.verify,
        });
        progress.close();
        if (o.json) writeJson(result);
        else process.stdout.write(renderDeploySummary(result));
        if (result.error && !o.json) process.stderr.write(`error: ${result.error.message}\n`);
        process.exitCode = signal.aborted ? 130 : result.exitCode;
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}
