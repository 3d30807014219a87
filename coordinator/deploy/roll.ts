import { asZkfError, ZkfError } from '../../shared/errors';
import type { ZooKeeperStatus__Output } from '../../shared/generated/wire';
import { pausePoint } from '../../shared/fault';
import type { Outcome } from '../fleet/host-run';
import { describe, runningMismatch, type Target } from '../artifacts/versions';
import { zkHosts, type HostSpec } from '../ensemble/file';
import { statusAll, waitForQuorum, waitUntil } from '../zookeeper/statuses';
import { backBlocker, crashed, nextToRoll, rollOrder, stopBlocker, type Statuses } from '../zookeeper/quorum';
import type { DeployRun } from './run';

/**
 * Phase 5: start the servers that are not running (all at once: a cold ensemble needs a majority to
 * elect), then roll the running servers whose files changed, by the rules of coordinator/zookeeper/quorum.ts: one at
 * a time, the leader last, each only when the others keep a quorum without it, the next only when it is
 * back and synced. A server that is not serving before its turn stops the roll: it never takes a second
 * server down.
 */
export async function startAndRoll(run: DeployRun): Promise<void> {
  await run.phase('start', async () => {
    const zk = run.liveZk;
    const before = await statusAll(run.fleet, zk, { signal: run.signal });
    const running = (h: HostSpec) => {
      const s = before.get(h.name);
      return !(s instanceof Error) && !!s && s.pid > 0;
    };
    const toStart = zk.filter((h) => !running(h));
    const due = (h: HostSpec) => run.configured.get(h.name)?.restartNeeded || run.newTrees.has(h.name);
    const toRoll = zk.filter((h) => running(h) && due(h));
    if (!toStart.length && !toRoll.length) run.untouched = before;
    await Promise.all(toStart.map((h) => startServer(run, h)));
    if (!toRoll.length) return;
    if (run.dryRun) {
      const plan = async () => ({
        changed: true,
        description: 'would restart (rolling, followers first, leader last)',
      });
      for (const h of toRoll) await run.hostStep(h, 'restart', plan);
      return;
    }
    // Servers just started for the first time (a host added to the file) may only join once the others know
    // them: before rolling, wait for the servers that were already running.
    if (toStart.length) {
      const wasRunning = new Set(zk.filter(running).map((h) => h.name));
      await waitForQuorum(run.fleet, zkHosts(run.e), wasRunning, run.e.spec.timeouts.quorumMs, run.signal);
    }
    await new Roll(run, zk, { activate: true }, run.target).restartAll(rollOrder(toRoll, before));
  });
}

/** A server that is down starts on the trees staged for it, if any (it has no running process to keep). */
export function startServer(run: DeployRun, h: HostSpec, note = '', activate = true) {
  return run.hostStep(h, 'start', async () => {
    const a = run.fleet.agent(h);
    const r = (await a.zooKeeperService('START', run.dryRun, { signal: run.signal }, { activate })).result!;
    return { changed: r.changed, description: `${r.description}${note}` };
  });
}

/** What a restart in a roll does with the trees: move to the staged ones, or back to the ones before. */
export type TreeMove = { activate: true } | { rollback: true };

/**
 * The quorum rules a roll keeps: `servers` are judged for "back and synced"; `stopBlocker` says why a server may
 * not go down now (default: the quorum of `servers` without it). A membership step brings its own.
 */
export interface RollRules {
  servers: HostSpec[];
  stopBlocker?: (h: HostSpec, statuses: Statuses) => string | undefined;
}

/**
 * One rolling restart: the servers still to go, and the crashed servers being started again meanwhile. Each
 * restarted server must report the versions it should run (`want`; else what its links point at) before the
 * next one goes. A server that was to move to new trees and does not come back on them is moved back, and
 * the roll stops there.
 */
export class Roll {
  private readonly done = new Set<string>();
  private readonly reviving = new Map<string, Promise<unknown>>();
  private readonly servers: HostSpec[];
  private readonly stopBlocker: (h: HostSpec, statuses: Statuses) => string | undefined;

  constructor(
    private readonly run: DeployRun,
    private readonly live: HostSpec[],
    private readonly move: TreeMove,
    private readonly want?: Partial<Target>,
    rules: RollRules = { servers: zkHosts(run.e) },
  ) {
    this.servers = rules.servers;
    this.stopBlocker = rules.stopBlocker ?? ((h, st) => stopBlocker(h, this.servers, st));
  }

  async restartAll(order: HostSpec[]): Promise<void> {
    this.run.progress.note(`rolling restart: ${order.map((h) => h.name).join(' → ')}`);
    const remaining = [...order];
    while (remaining.length) {
      const statuses = await this.statuses();
      const h = nextToRoll(remaining, statuses)!;
      remaining.splice(remaining.indexOf(h), 1);
      // A start of this server for a crash may be under way: let it finish, it may be this server's restart.
      await this.reviving.get(h.name);
      if (!this.done.has(h.name)) await this.restartOne(h, statuses);
    }
    await Promise.all(this.reviving.values());
  }

  private statuses(): Promise<Statuses> {
    return statusAll(this.run.fleet, this.live, { signal: this.run.signal });
  }

  private async restartOne(h: HostSpec, statuses: Statuses): Promise<void> {
    const { run } = this;
    const now = statuses.get(h.name);
    if (now instanceof Error) {
      const why =
        `rolling restart stopped before ${h.name}: it is unreachable (${now.message}); ` +
        'no further server was restarted';
      throw new ZkfError('UNAVAILABLE', why, { host: h.name });
    }
    await this.waitFor((st) => this.stopBlocker(h, st)).catch((err: Error) => {
      const why = `rolling restart stopped before ${h.name}: ${err.message}; no further server was restarted`;
      throw new ZkfError('QUORUM_TIMEOUT', why, { host: h.name, details: { host: h.name, reason: err.message } });
    });
    // A coordinator suspended past its lease (another deploy may run now) restarts nothing once it wakes.
    await run.lease?.confirm();
    const from = now && moving(now) ? { zookeeper: now.zookeeperInstalled, jdk: now.jdkInstalled } : undefined;
    const step = 'rollback' in this.move ? 'rollback' : 'restart';
    try {
      await run.step(h, step, () => this.restartAndCheck(h, this.move, this.want));
    } catch (err) {
      if (!from || 'rollback' in this.move || run.signal.aborted) throw err;
      throw await this.moveBack(h, from, asZkfError(err));
    }
    this.markRestarted(h);
    pausePoint('roll.restarted');
  }

  /** Restart with the trees moved as asked; back, synced, and running the versions it should. */
  private async restartAndCheck(h: HostSpec, move: TreeMove, want?: Partial<Target>): Promise<Outcome> {
    const a = this.run.fleet.agent(h);
    const r = await a.zooKeeperService('RESTART', false, { signal: this.run.signal }, move);
    await this.waitFor((st) => backBlocker(h, this.servers, st));
    const s = await a.zooKeeperStatus(0, { signal: this.run.signal });
    const wrong = runningMismatch(s, want);
    if (wrong) throw new ZkfError('UPGRADE_FAILED', `${h.name} is back, but ${wrong}`, { host: h.name });
    const runs = `ZooKeeper ${s.version.split(/[-,]/)[0]} on JDK ${s.jdkRunning}`;
    return { changed: true, description: `${r.result!.description}; back and synced, runs ${runs}` };
  }

  /** The server that did not come back on its new trees goes back to the ones it ran; the roll stops. */
  private async moveBack(h: HostSpec, from: Target, cause: ZkfError): Promise<ZkfError> {
    const tail = cause.message.includes('log tail') ? '' : await this.logTail(h);
    const to = describe({ zookeeper: this.want?.zookeeper ?? '?', jdk: this.want?.jdk ?? '?' });
    const back = await this.run.hostStep(h, 'rollback', () => this.restartAndCheck(h, { rollback: true }, from));
    const outcome = back
      ? `it was moved back to ${describe(from)} and serves again`
      : `moving it back to ${describe(from)} failed too: ${this.run.report(h).steps.at(-1)?.error}`;
    const why =
      `upgrade stopped at ${h.name}: it did not come back on ${to}: ${cause.message}${tail}\n` +
      `${outcome}; no other server was restarted.`;
    return new ZkfError('UPGRADE_FAILED', why, { host: h.name, details: { host: h.name, version: to } });
  }

  private async logTail(h: HostSpec): Promise<string> {
    const s = await this.run.fleet
      .agent(h)
      .zooKeeperStatus(30, { signal: this.run.signal })
      .catch(() => undefined);
    return s?.logTail ? `; log tail:\n${s.logTail}` : '';
  }

  /** Poll until `blocker` says nothing, starting again any server that crashed meanwhile. */
  private waitFor(blocker: (st: Statuses) => string | undefined): Promise<void> {
    return waitUntil(this.run.fleet, this.live, this.run.e.spec.timeouts.quorumMs, this.run.signal, (st) => {
      this.revive(st);
      return blocker(st);
    });
  }

  /**
   * A server that crashed during the roll (its agent answers, its process is gone) is started again at
   * once, with the files already written: waiting for it would only wait out the timeout.
   */
  private revive(statuses: Statuses): void {
    for (const h of crashed(this.live, statuses)) {
      if (this.reviving.has(h.name)) continue;
      // Started on the trees it ran: a server moves to new ones only at its own turn, where it is checked.
      const staged = moving(statuses.get(h.name));
      const started = startServer(this.run, h, ' (it had stopped during the roll)', false).then((r) => {
        if (r && !staged && this.run.configured.get(h.name)?.restartNeeded) this.markRestarted(h);
      });
      // Cancellation is the roll's own error to report; a failed start is already on the host's report.
      const settled = started.catch(() => undefined).finally(() => this.reviving.delete(h.name));
      this.reviving.set(h.name, settled);
    }
  }

  private markRestarted(h: HostSpec): void {
    this.done.add(h.name);
    this.run.report(h).restarted = true;
  }
}

function moving(s: ZooKeeperStatus__Output | Error | undefined): boolean {
  return !!s && !(s instanceof Error) && !!(s.zookeeperStaged || s.jdkStaged);
}
