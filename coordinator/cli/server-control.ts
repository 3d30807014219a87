import { Command } from 'commander';
import { asZkfError, ZkfError } from '../../shared/errors';
import { loadEnsemble, zkHosts, type Ensemble, type HostSpec } from '../ensemble/file';
import { statusAll, waitForQuorum } from '../zookeeper/statuses';
import { Fleet } from '../fleet/fleet';
import { stopSetBlocker } from '../zookeeper/quorum';
import { collect, EXIT, fail, interruptSignal, writeJson } from './common';
import { selectZk } from './logs';

interface ControlOptions {
  host: string[];
  force?: boolean;
  json?: boolean;
  stateDir?: string;
}

type Action = 'START' | 'STOP';

/**
 * `coordinator stop` and `coordinator start`: a server stopped here stays stopped (its supervisor keeps what
 * the coordinator asked for) until it is started here or by a deploy. A stop that would cost the quorum is
 * refused unless --force.
 */
export function registerServerControl(program: Command): void {
  for (const action of ['STOP', 'START'] as const) {
    const verb = action.toLowerCase();
    program
      .command(verb)
      .argument('<file>', 'the ensemble file')
      .option(
        '--host <name>',
        `${verb} this host's server; repeatable${action === 'START' ? ' (default: every server)' : ''}`,
        collect,
        [],
      )
      .option('--json', 'machine-readable result')
      .option('--state-dir <dir>', 'state directory (default: .zkfleet/<name> next to the file)')
      .option(
        '--force',
        action === 'STOP' ? 'stop even when the rest would not keep a quorum' : 'no effect (for symmetry)',
      )
      .description(
        action === 'STOP'
          ? 'stop ZooKeeper servers on purpose (their supervisor leaves them stopped until `coordinator start`) and ' +
              'wait until the others serve again, naming the leader'
          : 'start ZooKeeper servers (those stopped on purpose, or all) and wait for the quorum',
      )
      .addHelpText(
        'after',
        '\nExit codes: 0 done, 1 refused or failed, 64 usage.\n\n' +
          `Example:\n  coordinator ${verb} ensemble.yaml --host hdss7-12\n`,
      )
      .action(async (file: string, o: ControlOptions) => {
        try {
          const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
          if (action === 'STOP' && !o.host.length)
            throw new ZkfError('USAGE', 'coordinator stop needs --host (the servers to stop)');
          process.exitCode = await control(e, selectZk(e, o.host), action, o);
        } catch (err) {
          process.exitCode = fail(err, !!o.json);
        }
      });
  }
}

async function control(e: Ensemble, hosts: HostSpec[], action: Action, o: ControlOptions): Promise<number> {
  const signal = interruptSignal();
  const fleet = await Fleet.open(e);
  try {
    const zk = zkHosts(e);
    const why = action === 'STOP' ? stopSetBlocker(hosts, zk, await statusAll(fleet, zk, { signal })) : undefined;
    if (why && !o.force) {
      throw new ZkfError('QUORUM_TIMEOUT', `refused: ${why}. Nothing was stopped (--force stops anyway).`);
    }
    const results = await Promise.all(
      hosts.map(async (h) => {
        try {
          const r = await fleet.agent(h).zooKeeperService(action, false, { signal });
          return { host: h.name, changed: r.result!.changed, description: r.result!.description };
        } catch (err) {
          return { host: h.name, changed: false, description: '', error: asZkfError(err).message };
        }
      }),
    );
    const ok = results.every((r) => !r.error);
    // Both wait for the quorum the others keep (a stopped leader's followers are still electing when its stop
    // returns): only a forced stop that costs the quorum does not.
    const serving = new Set(zk.filter((h) => action === 'START' || !hosts.includes(h)).map((h) => h.name));
    const leader =
      ok && !why ? (await waitForQuorum(fleet, zk, serving, e.spec.timeouts.quorumMs, signal)).leader : undefined;
    if (o.json) writeJson({ ok, results, leader });
    else {
      for (const r of results) process.stdout.write(`${r.host}  ${r.error ? `FAILED: ${r.error}` : r.description}\n`);
      if (leader) process.stdout.write(`quorum: ${serving.size} serving, ${leader} leads\n`);
    }
    return ok ? EXIT.OK : EXIT.ERROR;
  } finally {
    fleet.close();
  }
}
