import { Command } from 'commander';
import { deploy, type DeployResult } from '../deploy';
import { loadEnsemble } from '../ensemble';
import { table } from '../format';
import { progressFor } from '../progress';
import { fail, interruptSignal, writeJson } from './common';

export function renderDeploySummary(r: DeployResult): string {
  const rows = r.hosts
    .filter((h) => h.steps.length)
    .map((h) => [
      h.name,
      h.myid ? String(h.myid) : '-',
      h.dnsName ?? '-',
      h.mode ?? '-',
      h.zxid ?? '-',
      h.error
        ? `FAILED: ${h.error.split('\n')[0].slice(0, 160)}`
        : h.changed
          ? h.steps
              .filter((s) => s.changed)
              .map((s) => s.step)
              .join(', ')
          : 'unchanged',
    ]);
  let out = table(['HOST', 'MYID', 'DNS NAME', 'MODE', 'ZXID', 'CHANGED'], rows);
  if (r.image)
    out += `\nimage     ${r.image.tag} ${r.image.changed ? (r.dryRun ? 'would be built and pushed' : `built with ${r.image.builder} and pushed`) : 'unchanged'}${r.image.digest ? ` ${r.image.digest}` : ''}\n`;
  if (r.registry) out += `\nregistry  ${r.registry}\n`;
  const verdict = r.dryRun
    ? r.changed
      ? 'dry run: the changes above would be made; nothing was touched'
      : 'dry run: nothing would change'
    : r.error
      ? `deploy FAILED: ${r.error.message}`
      : r.exitCode === 2
        ? 'deploy finished with failed hosts (see above)'
        : r.changed
          ? `deployed in ${(r.durationMs / 1000).toFixed(1)} s`
          : `no change: nothing was touched, nothing restarted (${(r.durationMs / 1000).toFixed(1)} s)`;
  return out + `\n${verdict}\n`;
}

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .argument('<file>', 'the ensemble file (see examples/ensemble.yaml)')
    .option('--dry-run', 'print the plan: per host, each step and whether it would change; touch nothing')
    .option('--only <part>', 'run one part: zookeeper (with DNS) or image')
    .option('--json', 'print the result as JSON on stdout (progress stays on stderr)')
    .option('--state-dir <dir>', 'where myids and deploy state live (default: .zkfleet/<name> next to the file)')
    .option('--no-verify', 'skip the client check (write a znode, read it from every server)')
    .option('-q, --quiet', 'no progress on stderr')
    .description(
      'take the hosts to the ensemble the file describes: DNS, JDK, ZooKeeper, zoo.cfg/myid, start or roll, quorum, client check',
    )
    .addHelpText(
      'after',
      `
Steps, per host and in order: facts, dns (on the DNS host), resolve, upload-jdk, upload-zookeeper,
install-jdk, install-zookeeper, configure, start or restart (rolling: followers first, leader last), then
the quorum wait and the client check. Every step is idempotent: a second deploy changes nothing.

Exit codes: 0 done (or nothing to do), 1 error (bad file, unreachable host, DNS, quorum), 2 some hosts failed.

Examples:
  coordinator deploy ensemble.yaml --dry-run
  coordinator deploy ensemble.yaml
  coordinator deploy ensemble.yaml --only image --json
`,
    )
    .action(
      async (
        file: string,
        o: { dryRun?: boolean; only?: string; json?: boolean; stateDir?: string; verify: boolean; quiet?: boolean },
      ) => {
        try {
          if (o.only && o.only !== 'image' && o.only !== 'zookeeper')
            throw new Error(`--only takes zookeeper or image, not "${o.only}"`);
          const ensemble = await loadEnsemble(file, { stateDir: o.stateDir });
          const progress = progressFor(process.stderr, !!o.quiet);
          const result = await deploy(ensemble, {
            dryRun: !!o.dryRun,
            only: o.only as 'image' | 'zookeeper' | undefined,
            progress,
            signal: interruptSignal(),
            skipVerify: !o.verify,
          });
          progress.close();
          if (o.json) writeJson(result);
          else process.stdout.write(renderDeploySummary(result));
          if (result.error && !o.json) process.stderr.write(`error: ${result.error.message}\n`);
          process.exitCode = result.exitCode;
        } catch (err) {
          process.exitCode = fail(err, !!o.json);
        }
      },
    );
}
