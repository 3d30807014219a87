import { Command } from 'commander';
import { loadEnsemble } from '../ensemble/file';
import { collectStatus, renderStatus, statusExitCode } from '../zookeeper/status';
import { fail, interruptSignal, writeJson } from './common';

export type { StatusResult } from '../zookeeper/status';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .argument('<file>', 'the ensemble file')
    .option('--json', 'machine-readable result')
    .option('--live', 'ask the agents now, even when a coordinator server holds reports')
    .option('--state-dir <dir>', 'state directory (default: .zkfleet/<name> next to the file)')
    .description(
      'the ensemble at a glance: quorum, leader, failures tolerated, per-host mode and zxid, staleness and drift',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 quorum and every server serving, 2 degraded (quorum but some host out, stale or drifted), ' +
        '1 no quorum or error.\n',
    )
    .action(async (file: string, o: { json?: boolean; live?: boolean; stateDir?: string }) => {
      try {
        const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
        const s = await collectStatus(e, { live: o.live, signal: interruptSignal() });
        if (o.json) writeJson(s);
        else process.stdout.write(renderStatus(s));
        process.exitCode = statusExitCode(s);
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}
