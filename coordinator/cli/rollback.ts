import type { Command } from 'commander';
import { rollback } from '../deploy/rollback';
import { runAndReport, withRunOptions } from './deploy';

export function registerRollback(program: Command): void {
  withRunOptions(program.command('rollback').argument('<file>', 'the ensemble file'))
    .description('return every server to the ZooKeeper and JDK it ran before its last upgrade, one at a time')
    .addHelpText(
      'after',
      `
Each server goes back to the trees it ran before its last change (kept on the host: the current one and the
two before it), in a roll: followers first, the leader last, each back, synced and reporting the version it
should before the next. Servers an upgrade that stopped part-way never reached stay as they are. Refused,
with nothing changed, when a server has no earlier version recorded or the servers ran different ones.

The ensemble file still names the newer artifacts afterwards: point it at the ones you went back to, or the
next deploy upgrades again.

Exit codes: 0 done, 1 error, 64 usage, 75 another deploy holds the ensemble, 130 interrupted.

Examples:
  coordinator rollback ensemble.yaml --dry-run
  coordinator rollback ensemble.yaml
`,
    )
    .action((file: string, o) => runAndReport(file, { ...o, only: 'zookeeper' }, (e, opts) => rollback(e, opts)));
}
