import { Command } from 'commander';
import path from 'node:path';
import { OPS_HOST, RUNBOOK_HOSTS, sandboxDown, sandboxUp } from './sandbox';

const program = new Command('sandbox').description(
  "the runbook's hosts on this machine: network namespaces, a real BIND, an agent per host (needs root)",
);
program
  .command('up')
  .option('--dir <dir>', 'where the sandbox lives', 'sandbox')
  .option('--prefix <p>', 'name prefix of namespaces and links', 'zkf')
  .option('--subnet <n>', 'third octet of 198.18.N.0/24', (v) => Number(v), 7)
  .option('--no-image', 'leave out the ops host (hdss7-200: registry and image builds)')
  .description('bring the sandbox up (installs what is missing) and print the path of its ensemble file')
  .action(async (o: { dir: string; prefix: string; subnet: number; image: boolean }) => {
    const state = await sandboxUp({
      dir: o.dir,
      prefix: o.prefix,
      subnet: o.subnet,
      hosts: o.image ? [...RUNBOOK_HOSTS, OPS_HOST] : RUNBOOK_HOSTS,
      log: (s) => process.stderr.write(`sandbox: ${s}\n`),
    });
    process.stdout.write(`${path.relative(process.cwd(), state.ensembleFile) || state.ensembleFile}\n`);
  });
program
  .command('down')
  .option('--dir <dir>', 'where the sandbox lives', 'sandbox')
  .option('--prefix <p>', 'name prefix of namespaces and links', 'zkf')
  .description('remove every namespace, link, process and file of the sandbox (safe to repeat)')
  .action(async (o: { dir: string; prefix: string }) => {
    await sandboxDown({ dir: o.dir, prefix: o.prefix, log: (s) => process.stderr.write(`sandbox: ${s}\n`) });
    process.stderr.write('sandbox: down\n');
  });
program.parseAsync().catch((err) => {
  process.stderr.write(`sandbox: ${(err as Error).message}\n`);
  process.exit(1);
});
