import { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import { loadEnsemble, type Ensemble } from '../ensemble/file';
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
    .option('--watch [seconds]', 'refresh every N seconds (default 2) until interrupted; with --json, one line each')
    .description(
      'the ensemble at a glance: quorum, leader, failures tolerated, per-host mode and zxid, staleness and drift',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 quorum and every server serving, 2 degraded (quorum but some host out, stale or drifted), ' +
        '1 no quorum or error. With --watch, the code of the last view when interrupted.\n\n' +
        'Examples:\n  coordinator status ensemble.yaml\n  coordinator status ensemble.yaml --watch 5\n' +
        '  coordinator status ensemble.yaml --json | jq .leader\n',
    )
    .action(async (file: string, o: StatusFlags) => {
      try {
        const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
        const signal = interruptSignal();
        if (o.watch !== undefined) return await watch(e, o, signal);
        const s = await collectStatus(e, { live: o.live, signal });
        if (o.json) writeJson(s);
        else process.stdout.write(renderStatus(s));
        process.exitCode = statusExitCode(s);
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}

interface StatusFlags {
  json?: boolean;
  live?: boolean;
  stateDir?: string;
  watch?: string | true;
}

/** The view again every N seconds, the screen redrawn on a terminal, until the signal fires. */
async function watch(e: Ensemble, o: StatusFlags, signal: AbortSignal): Promise<void> {
  const seconds = o.watch === true ? 2 : Number(o.watch);
  if (!(seconds >= 0.5))
    throw new ZkfError('USAGE', `--watch ${o.watch}: give the seconds between views (0.5 or more)`);
  const redraw = process.stdout.isTTY && !o.json;
  while (!signal.aborted) {
    const s = await collectStatus(e, { live: o.live, signal }).catch((err: unknown) => {
      if (signal.aborted) return undefined;
      throw err;
    });
    if (!s) break;
    if (o.json) process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...s }) + '\n');
    else {
      const head = `${new Date().toLocaleTimeString()}  every ${seconds}s, Ctrl-C to stop\n`;
      process.stdout.write((redraw ? '\x1b[H\x1b[2J' : '\n') + head + renderStatus(s));
    }
    process.exitCode = statusExitCode(s);
    await sleep(seconds * 1000, undefined, { signal }).catch(() => undefined);
  }
}
