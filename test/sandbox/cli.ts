import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startPrometheus } from './prometheus';
import { OPS_HOST, powerHost, readSandbox, RUNBOOK_HOSTS, sandboxDown, sandboxUp } from './sandbox';

const program = new Command('sandbox').description(
  "the runbook's hosts on this machine: booted Debian machines in network namespaces, a real BIND, a real " +
    'registry, the agent installed by `coordinator bootstrap` over SSH (needs root)',
);
program
  .command('up')
  .option('--dir <dir>', 'where the sandbox lives', 'sandbox')
  .option('--prefix <p>', 'name prefix of namespaces and links', 'zkf')
  .option('--subnet <n>', 'third octet of 198.18.N.0/24', (v) => Number(v), 7)
  .option('--no-image', 'leave out the ops host (hdss7-200: registry and image builds)')
  .option('--bare', 'hosts with only SSH: no PKI, no agent (then: coordinator pki init, bootstrap, deploy)')
  .option('--spare <n>', 'spare ZooKeeper hosts with agents, not in the ensemble file (hdss7-31, ...)', Number, 0)
  .description('bring the sandbox up (installs what is missing) and print the path of its ensemble file')
  .addHelpText(
    'after',
    `
With --spare N, N more hosts (hdss7-31, hdss7-32, ...) boot and get agents but stay out of the ensemble file:
add one to the file (or put it in place of a host) and deploy to rehearse a membership change.

With --bare the hosts boot with only SSH, and the ensemble file and the ssh config are written: no PKI, no
agent. Then, as an operator would (this is what \`npm run demo\` does):
  node dist/coordinator-cli.js pki init sandbox/pki --ip 198.18.7.1 --ip 127.0.0.1
  node dist/coordinator-cli.js bootstrap sandbox/ensemble.yaml --ssh-config sandbox/ssh/config
  node dist/coordinator-cli.js deploy sandbox/ensemble.yaml
`,
  )
  .action(async (o: { dir: string; prefix: string; subnet: number; image: boolean; bare?: boolean; spare: number }) => {
    const state = await sandboxUp({
      dir: o.dir,
      prefix: o.prefix,
      subnet: o.subnet,
      hosts: o.image ? [...RUNBOOK_HOSTS, OPS_HOST] : RUNBOOK_HOSTS,
      bare: o.bare,
      spare: o.spare,
      log: (s) => process.stderr.write(`sandbox: ${s}\n`),
    });
    process.stdout.write(`${path.relative(process.cwd(), state.ensembleFile) || state.ensembleFile}\n`);
  });
program
  .command('down')
  .option('--dir <dir>', 'where the sandbox lives', 'sandbox')
  .option('--prefix <p>', 'name prefix of namespaces and links', 'zkf')
  .description('remove every machine, mount, namespace, link and file of the sandbox (safe to repeat)')
  .action(async (o: { dir: string; prefix: string }) => {
    await sandboxDown({ dir: o.dir, prefix: o.prefix, log: (s) => process.stderr.write(`sandbox: ${s}\n`) });
    process.stderr.write('sandbox: down\n');
  });
for (const [command, on] of [
  ['stop-host', false],
  ['start-host', true],
] as const) {
  program
    .command(command)
    .argument('<name>', 'the host, e.g. hdss7-12')
    .option('--dir <dir>', 'where the sandbox lives', 'sandbox')
    .description(on ? 'boot a host that was powered off' : 'power a host off in order, as a shutdown would')
    .action(async (name: string, o: { dir: string }) => {
      const h = await powerHost(o.dir, name, on);
      process.stderr.write(`sandbox: ${h.name} ${on ? 'booted' : 'powered off'}\n`);
    });
}
program
  .command('prometheus')
  .option('--dir <dir>', 'where the sandbox lives', 'sandbox')
  .option('--scrape-interval <duration>', 'how often it scrapes and evaluates the alert rules', '5s')
  .description("run Debian's Prometheus on the ops host with `coordinator monitoring`'s output; print its URL")
  .action(async (o: { dir: string; scrapeInterval: string }) => {
    const state = await readSandbox(o.dir);
    if (!state) throw new Error(`no sandbox in ${o.dir}: npm run sandbox -- up`);
    const out = path.join(state.dir, 'monitoring');
    const coordinator = path.resolve(__dirname, '../../coordinator/main.js');
    const args = [coordinator, 'monitoring', state.ensembleFile, '--out', out, '--scrape-interval', o.scrapeInterval];
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const p = await startPrometheus(state, out);
    process.stderr.write(`sandbox: Prometheus (pid ${p.pid}) scrapes the sandbox; \`sandbox down\` stops it\n`);
    process.stdout.write(`${p.url}\n`);
  });
program.parseAsync().catch((err) => {
  process.stderr.write(`sandbox: ${(err as Error).message}\n`);
  process.exit(1);
});
