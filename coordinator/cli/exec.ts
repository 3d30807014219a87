import { Command, Option } from 'commander';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asZkfError, usageError } from '../../shared/errors';
import { loadEnsemble, ROLES, type Ensemble, type HostSpec } from '../ensemble/file';
import { Fleet, mapLimit } from '../fleet/fleet';
import { prefixer } from '../output/format';
import { collect, EXIT, fail, interruptSignal, positiveInt, writeJson } from './common';

export interface ExecHostResult {
  host: string;
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  error?: string;
}

interface ExecOptions {
  host: string[];
  role?: string;
  parallel: number;
  timeout: number;
  shell?: boolean;
  json?: boolean;
  stateDir?: string;
}

export function registerExec(program: Command): void {
  program
    .command('exec')
    .argument('<file>', 'the ensemble file')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--host <name>', 'only this host; repeatable', collect, [])
    .addOption(new Option('--role <role>', 'only hosts with this role').choices([...ROLES]))
    .option('--parallel <n>', 'hosts at a time', positiveInt('--parallel'), 32)
    .option('--timeout <seconds>', 'kill the command on each host after this long', positiveInt('--timeout', true), 0)
    .option('--shell', 'run the command with sh -c on the hosts (default: argv, no shell)')
    .option('--json', 'one result per host: stdout, stderr, exit code, duration')
    .option('--state-dir <dir>', 'state directory (the exec audit log lives there)')
    .description('run an ad-hoc command on the agents, audited on both sides')
    .addHelpText(
      'after',
      `
Output lines are prefixed with the host. Ctrl-C cancels the command on every host (its process group is killed).
Exit codes: 0 every host returned 0; 2 some host returned non-zero, timed out or was unreachable; 1 error;
64 usage (an unknown --host, no host matching --role).

Examples:
  coordinator exec ensemble.yaml -- hostname
  coordinator exec ensemble.yaml --role zookeeper --timeout 10 -- /opt/zookeeper/bin/zkServer.sh status
  coordinator exec ensemble.yaml --host hdss7-11 --shell -- 'df -h /data | tail -1'
`,
    )
    .action(async (file: string, command: string[], o: ExecOptions) => {
      try {
        process.exitCode = await execCommand(file, command, o);
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}

function selectHosts(e: Ensemble, o: ExecOptions): HostSpec[] {
  const unknown = o.host.filter((h) => !e.spec.hosts.some((x) => x.name === h));
  if (unknown.length) {
    const known = e.spec.hosts.map((h) => h.name).join(', ');
    throw usageError(`--host ${unknown.join(', ')}: not in ${e.file} (hosts: ${known})`);
  }
  const role = o.role as (typeof ROLES)[number] | undefined;
  const hosts = e.spec.hosts.filter(
    (h) => (!o.host.length || o.host.includes(h.name)) && (!role || h.roles.includes(role)),
  );
  if (!hosts.length) throw usageError('no host matches --host/--role');
  return hosts;
}

async function execCommand(file: string, command: string[], o: ExecOptions): Promise<number> {
  const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
  const hosts = selectHosts(e, o);
  const signal = interruptSignal();
  const fleet = await Fleet.open(e);
  const width = Math.max(...hosts.map((h) => h.name.length));
  const requestedBy = `${os.userInfo().username}@${os.hostname()}`;
  const started = new Date();
  const run = (h: HostSpec) => execOnHost(e, fleet, h, command, o, { width, requestedBy, signal });
  const results = await mapLimit(hosts, o.parallel, run);
  fleet.close();
  const summary = results.map(({ host, exitCode, timedOut, error, durationMs }) => ({
    host,
    exitCode,
    timedOut,
    error,
    durationMs,
  }));
  await audit(e.stateDir, {
    at: started.toISOString(),
    by: requestedBy,
    argv: command,
    shell: !!o.shell,
    hosts: summary,
  });
  const ok = results.every((r) => r.exitCode === 0);
  if (o.json) writeJson({ ok, results });
  else if (!ok) {
    const bad = results.filter((r) => r.exitCode !== 0);
    const why = bad.map((r) => `${r.host}: ${r.error ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)}`);
    process.stderr.write(`failed on ${bad.length}/${results.length} hosts: ${why.join('; ')}\n`);
  }
  return signal.aborted ? 130 : ok ? EXIT.OK : EXIT.PARTIAL;
}

async function execOnHost(
  e: Ensemble,
  fleet: Fleet,
  h: HostSpec,
  command: string[],
  o: ExecOptions,
  ctx: { width: number; requestedBy: string; signal: AbortSignal },
): Promise<ExecHostResult> {
  const t = Date.now();
  const out = prefixer(h.name, ctx.width, process.stdout);
  const err = prefixer(h.name, ctx.width, process.stderr);
  const captured = { stdout: '', stderr: '' };
  const sink = {
    stdout: (b: Buffer) => (o.json ? (captured.stdout += b) : out.write(b)),
    stderr: (b: Buffer) => (o.json ? (captured.stderr += b) : err.write(b)),
  };
  try {
    const a = fleet.agent(h);
    await a.waitReady(e.spec.timeouts.connectMs, ctx.signal);
    const req = { argv: command, shell: !!o.shell, timeoutMs: o.timeout * 1000, requestedBy: ctx.requestedBy };
    const timeoutMs = o.timeout ? o.timeout * 1000 + 30_000 : 24 * 3600_000;
    const exit = await a.exec(req, sink, { signal: ctx.signal, timeoutMs });
    const signal = exit.signal || undefined;
    return {
      host: h.name,
      exitCode: exit.code,
      signal,
      timedOut: exit.timedOut,
      durationMs: Date.now() - t,
      ...captured,
    };
  } catch (e2) {
    const ze = asZkfError(e2);
    if (!o.json)
      process.stderr.write(`${h.name.padEnd(ctx.width)} ! ${ze.code === 'CANCELLED' ? 'cancelled' : ze.message}\n`);
    const error = `${ze.code}: ${ze.message}`;
    return { host: h.name, exitCode: null, timedOut: false, durationMs: Date.now() - t, ...captured, error };
  } finally {
    out.end();
    err.end();
  }
}

/** The coordinator's own record of every exec (the agents keep theirs). */
async function audit(stateDir: string, entry: object): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  await fs.appendFile(path.join(stateDir, 'exec-audit.jsonl'), JSON.stringify(entry) + '\n', { mode: 0o600 });
}
