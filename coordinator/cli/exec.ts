import { Command, Option } from 'commander';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asZkfError } from '../../shared/errors';
import { loadEnsemble, ROLES } from '../ensemble';
import { Fleet, mapLimit } from '../fleet';
import { EXIT, fail, interruptSignal, writeJson } from './common';

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

/** Splits a byte stream into lines and prefixes each with the host, so interleaved output stays readable. */
function prefixer(host: string, width: number, out: NodeJS.WritableStream) {
  let rest = '';
  return {
    write(b: Buffer) {
      const text = rest + b.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) out.write(`${host.padEnd(width)} | ${l}\n`);
    },
    end() {
      if (rest) out.write(`${host.padEnd(width)} | ${rest}\n`);
      rest = '';
    },
  };
}

export function registerExec(program: Command): void {
  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command('exec')
    .argument('<file>', 'the ensemble file')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--host <name>', 'only this host; repeatable', collect, [])
    .addOption(new Option('--role <role>', 'only hosts with this role').choices([...ROLES]))
    .option('--parallel <n>', 'hosts at a time', (v) => Number(v), 32)
    .option('--timeout <seconds>', 'kill the command on each host after this long', (v) => Number(v), 0)
    .option('--shell', 'run the command with sh -c on the hosts (default: argv, no shell)')
    .option('--json', 'one result per host: stdout, stderr, exit code, duration')
    .option('--state-dir <dir>', 'state directory (the exec audit log lives there)')
    .description('run an ad-hoc command on the agents, audited on both sides')
    .addHelpText(
      'after',
      `
Output lines are prefixed with the host. Ctrl-C cancels the command on every host (its process group is killed).
Exit codes: 0 every host returned 0; 2 some host returned non-zero, timed out or was unreachable; 1 error.

Examples:
  coordinator exec ensemble.yaml -- hostname
  coordinator exec ensemble.yaml --role zookeeper --timeout 10 -- /opt/zookeeper/bin/zkServer.sh status
  coordinator exec ensemble.yaml --host hdss7-11 --shell -- 'df -h /data | tail -1'
`,
    )
    .action(
      async (
        file: string,
        command: string[],
        o: {
          host: string[];
          role?: string;
          parallel: number;
          timeout: number;
          shell?: boolean;
          json?: boolean;
          stateDir?: string;
        },
      ) => {
        try {
          const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
          const unknown = o.host.filter((h) => !e.spec.hosts.some((x) => x.name === h));
          if (unknown.length)
            throw new Error(
              `--host ${unknown.join(', ')}: not in ${file} (hosts: ${e.spec.hosts.map((h) => h.name).join(', ')})`,
            );
          const hosts = e.spec.hosts.filter(
            (h) =>
              (!o.host.length || o.host.includes(h.name)) &&
              (!o.role || h.roles.includes(o.role as (typeof ROLES)[number])),
          );
          if (!hosts.length) throw new Error('no host matches --host/--role');
          const signal = interruptSignal();
          const fleet = await Fleet.open(e);
          const width = Math.max(...hosts.map((h) => h.name.length));
          const requestedBy = `${os.userInfo().username}@${os.hostname()}`;
          const started = new Date();
          const results = await mapLimit(hosts, Math.max(1, o.parallel), async (h): Promise<ExecHostResult> => {
            const t = Date.now();
            const out = prefixer(h.name, width, process.stdout);
            const err = prefixer(h.name, width, process.stderr);
            let stdout = '';
            let stderr = '';
            try {
              const a = fleet.agent(h);
              await a.waitReady(e.spec.timeouts.connectMs);
              const exit = await a.exec(
                { argv: command, shell: !!o.shell, timeoutMs: o.timeout * 1000, requestedBy },
                {
                  stdout: (b) => {
                    if (o.json) stdout += b;
                    else out.write(b);
                  },
                  stderr: (b) => {
                    if (o.json) stderr += b;
                    else err.write(b);
                  },
                },
                { signal, timeoutMs: o.timeout ? o.timeout * 1000 + 30_000 : 24 * 3600_000 },
              );
              return {
                host: h.name,
                exitCode: exit.code,
                signal: exit.signal || undefined,
                timedOut: exit.timedOut,
                durationMs: Date.now() - t,
                stdout,
                stderr,
              };
            } catch (e2) {
              const ze = asZkfError(e2);
              if (!o.json)
                process.stderr.write(
                  `${h.name.padEnd(width)} ! ${ze.code === 'CANCELLED' ? 'cancelled' : ze.message}\n`,
                );
              return {
                host: h.name,
                exitCode: null,
                timedOut: false,
                durationMs: Date.now() - t,
                stdout,
                stderr,
                error: `${ze.code}: ${ze.message}`,
              };
            } finally {
              out.end();
              err.end();
            }
          });
          fleet.close();
          await audit(e.stateDir, {
            at: started.toISOString(),
            by: requestedBy,
            argv: command,
            shell: !!o.shell,
            hosts: results.map((r) => ({
              host: r.host,
              exitCode: r.exitCode,
              timedOut: r.timedOut,
              error: r.error,
              durationMs: r.durationMs,
            })),
          });
          const ok = results.every((r) => r.exitCode === 0);
          if (o.json) writeJson({ ok, results });
          else if (!ok) {
            const bad = results
              .filter((r) => r.exitCode !== 0)
              .map((r) => `${r.host}: ${r.error ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)}`);
            process.stderr.write(`failed on ${bad.length}/${results.length} hosts: ${bad.join('; ')}\n`);
          }
          process.exitCode = signal.aborted ? 130 : ok ? EXIT.OK : EXIT.PARTIAL;
        } catch (err) {
          process.exitCode = fail(err, !!o.json);
        }
      },
    );
}

/** The coordinator's own record of every exec (the agents keep theirs). */
async function audit(stateDir: string, entry: object): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  await fs.appendFile(path.join(stateDir, 'exec-audit.jsonl'), JSON.stringify(entry) + '\n', { mode: 0o600 });
}
