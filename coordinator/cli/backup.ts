import type { Command } from 'commander';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { restore } from '../backup/restore';
import { listBackups, resolveBackup } from '../backup/store';
import { takeBackup } from '../backup/take';
import { loadEnsemble } from '../ensemble/file';
import { age, table } from '../output/format';
import { progressFor } from '../output/progress';
import { fail, interruptSignal, writeJson } from './common';
import { renderDeploySummary, withRunOptions } from './deploy';

interface BackupFlags {
  to?: string;
  json?: boolean;
  quiet?: boolean;
  stateDir?: string;
}

function registerTake(program: Command): void {
  program
    .command('backup')
    .argument('<file>', 'the ensemble file')
    .option('--to <dir>', 'where to store it (default: backup.dir of the file, else <stateDir>/backups)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--state-dir <dir>', 'the ensemble state directory (default: .zkfleet/<name> next to the file)')
    .option('-q, --quiet', 'no progress on stderr')
    .description("back up the ensemble's data from one serving follower: snapshot and logs, verified")
    .addHelpText(
      'after',
      `
Reads the newest snapshot and every transaction log after it from a serving follower (never the leader),
while the ensemble keeps taking writes. Each file's sha256 is checked as it arrives; then ZooKeeper's own
SnapshotFormatter and TxnLogToolkit, from the installed tree, parse the stored files on that host. Only a
verified backup gets its name, <ensemble>-<time>-<zxid>, and a manifest.json (ensemble, ZooKeeper version,
source host, snapshot and last zxid, each file's size and sha256). Verified backups beyond backup.keep go.

Exit codes: 0 stored and verified, 1 error (no serving follower, a digest or parse failure), 64 usage.

Examples:
  coordinator backup ensemble.yaml
  coordinator backup ensemble.yaml --to /backup/zk --json
`,
    )
    .action(async (file: string, o: BackupFlags) => {
      try {
        const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
        const progress = progressFor(process.stderr, !!o.quiet);
        const dir = o.to ? path.resolve(o.to) : e.backupDir;
        const r = await takeBackup(e, { dir, keep: e.spec.backup.keep, progress, signal: interruptSignal() });
        progress.close();
        if (o.json) writeJson({ ok: true, ...r });
        else {
          const m = r.manifest;
          const what = `${m.files.length} files, ${(r.bytes / 1e6).toFixed(1)} MB, ${m.verified.nodeCount} znodes`;
          process.stdout.write(`${r.path}\n  from ${m.source.host}, zxid ${m.lastZxid}, ${what}, verified\n`);
        }
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}

function registerList(program: Command): void {
  program
    .command('backups')
    .argument('<file>', 'the ensemble file')
    .option('--dir <dir>', 'where backups are (default: backup.dir of the file, else <stateDir>/backups)')
    .option('--json', 'print the list as JSON on stdout')
    .option('--state-dir <dir>', 'the ensemble state directory (default: .zkfleet/<name> next to the file)')
    .description('list the backups: time, zxid, size, verified; an interrupted one is listed as not valid')
    .action(async (file: string, o: BackupFlags & { dir?: string }) => {
      try {
        const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
        const all = await listBackups(o.dir ? path.resolve(o.dir) : e.backupDir, e.spec.name);
        if (o.json) return writeJson(all);
        const rows = all.map((b) => [
          b.name,
          b.createdAt ? `${age(Date.now() - Date.parse(b.createdAt))} ago` : '-',
          b.lastZxid || '-',
          b.bytes ? `${(b.bytes / 1e6).toFixed(1)} MB` : '-',
          b.verified ? `yes (${b.nodeCount} znodes)` : `NO: ${b.problem ?? 'not verified'}`,
        ]);
        process.stdout.write(table(['BACKUP', 'TAKEN', 'ZXID', 'SIZE', 'VERIFIED'], rows));
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}

/** On a terminal, the operator types the ensemble's name to go on. */
async function askOnTerminal(name: string, plan: string[]): Promise<boolean> {
  process.stderr.write(`${plan.join('\n')}\n\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`type the ensemble's name (${name}) to restore: `)).trim() === name;
  } finally {
    rl.close();
  }
}

const RESTORE_HELP = `
First every file of the backup is checked against its manifest (a damaged file is named, and no host is
contacted). Then the plan is shown: every server stopped; on each host dataDir and dataLogDir moved aside to
<dir>.zkfleet-aside-<time> (never deleted); the backup's snapshot and logs placed, each server keeping its
myid; every server started; the quorum and the client check. A warning says when the servers hold newer
data than the backup. It asks on a terminal (type the ensemble's name); --yes skips the question; with
neither, nothing is done (exit 1) and the plan is printed. A restore that fails says where each host's
former data is and how to put it back; run again, it finishes (a restored host is left as it is).

Exit codes: 0 restored and verified, 1 error or not confirmed, 64 usage, 75 another deploy holds the
ensemble, 130 interrupted.

Examples:
  coordinator backups ensemble.yaml
  coordinator restore ensemble.yaml --from dubbo-zk-20261126T220102Z-0x200000abc --dry-run
  coordinator restore ensemble.yaml --from /backup/zk/dubbo-zk-20261126T220102Z-0x200000abc --yes
`;

type RestoreFlags = { from: string; yes?: boolean; json?: boolean } & Record<string, unknown>;

async function runRestore(file: string, o: RestoreFlags): Promise<void> {
  try {
    const e = await loadEnsemble(file, { stateDir: o.stateDir as string | undefined, checkArtifacts: false });
    const progress = progressFor(process.stderr, !!o.quiet);
    const signal = interruptSignal();
    const confirm = process.stdin.isTTY ? (plan: string[]) => askOnTerminal(e.spec.name, plan) : undefined;
    const result = await restore(e, {
      from: resolveBackup(e.backupDir, o.from),
      yes: !!o.yes,
      confirm,
      dryRun: !!o.dryRun,
      progress,
      signal,
      skipVerify: o.verify === false,
      breakLock: !!o.breakLock,
    });
    progress.close();
    if (o.json) writeJson(result);
    else process.stdout.write(`${(result.plan ?? []).join('\n')}\n\n${renderDeploySummary(result)}`);
    if (result.error && !o.json) process.stderr.write(`error: ${result.error.message}\n`);
    process.exitCode = signal.aborted ? 130 : result.exitCode;
  } catch (err) {
    process.exitCode = fail(err, !!o.json);
  }
}

function registerRestore(program: Command): void {
  withRunOptions(program.command('restore').argument('<file>', 'the ensemble file'))
    .requiredOption('--from <backup>', 'a backup: its directory, or its name under the backup directory')
    .option('--yes', 'do it without asking (scripts); without it and without a terminal, nothing is done')
    .description("replace the ensemble's data with a backup: every server stopped, data moved aside, never deleted")
    .addHelpText('after', RESTORE_HELP)
    .action(runRestore);
}

export function registerBackup(program: Command): void {
  registerTake(program);
  registerList(program);
  registerRestore(program);
}
