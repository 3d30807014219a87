import { Command } from 'commander';
import { asZkfError, usageError } from '../../shared/errors';
import { loadEnsemble, zkHosts, type Ensemble, type HostSpec } from '../ensemble/file';
import { Fleet } from '../fleet/fleet';
import { prefixer } from '../output/format';
import { collect, EXIT, fail, interruptSignal, positiveInt } from './common';

interface LogsOptions {
  host: string[];
  lines: number;
  follow?: boolean;
  stateDir?: string;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .argument('<file>', 'the ensemble file')
    .option('--host <name>', 'only this host; repeatable', collect, [])
    .option('-n, --lines <n>', 'the last lines of each log', positiveInt('--lines'), 50)
    .option('-f, --follow', 'then keep streaming what the servers write, until Ctrl-C')
    .option('--state-dir <dir>', 'state directory (default: .zkfleet/<name> next to the file)')
    .description("the ZooKeeper servers' logs, without ssh: streamed by the agents, each line prefixed by its host")
    .addHelpText(
      'after',
      `
The agent reads the server's own size-rotated log (zookeeper.logs in the ensemble file), or its console output
when that is all there is. With --follow a rotation is followed into the new file.
Exit codes: 0 done (or Ctrl-C while following), 2 some host could not be read, 64 usage.

Examples:
  coordinator logs ensemble.yaml --lines 20
  coordinator logs ensemble.yaml --host hdss7-12 --follow
`,
    )
    .action(async (file: string, o: LogsOptions) => {
      try {
        const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
        process.exitCode = await showLogs(e, selectZk(e, o.host), o);
      } catch (err) {
        process.exitCode = fail(err, false);
      }
    });
}

export function selectZk(e: Ensemble, names: string[]): HostSpec[] {
  const zk = zkHosts(e);
  const unknown = names.filter((n) => !zk.some((h) => h.name === n));
  if (unknown.length)
    throw usageError(
      `--host ${unknown.join(', ')}: not a zookeeper host of ${e.file} (${zk.map((h) => h.name).join(', ')})`,
    );
  return zk.filter((h) => !names.length || names.includes(h.name));
}

async function showLogs(e: Ensemble, hosts: HostSpec[], o: LogsOptions): Promise<number> {
  const signal = interruptSignal();
  const fleet = await Fleet.open(e);
  const width = Math.max(...hosts.map((h) => h.name.length));
  try {
    const results = await Promise.all(
      hosts.map(async (h) => {
        const out = prefixer(h.name, width, process.stdout);
        try {
          await fleet.agent(h).zooKeeperLog({ lines: o.lines, follow: !!o.follow }, (b) => out.write(b), { signal });
          return true;
        } catch (err) {
          const ze = asZkfError(err);
          if (ze.code !== 'CANCELLED') process.stderr.write(`${h.name.padEnd(width)} ! ${ze.message}\n`);
          return ze.code === 'CANCELLED';
        } finally {
          out.end();
        }
      }),
    );
    return results.every(Boolean) ? EXIT.OK : EXIT.PARTIAL;
  } finally {
    fleet.close();
  }
}
