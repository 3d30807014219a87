import { ZkfError } from '../../shared/errors';
import { zkHosts, type HostSpec } from '../ensemble';
import { statusAll, waitForQuorum, waitUntil } from '../ensemble-status';
import { backBlocker, crashed, nextToRoll, rollOrder, stopBlocker, type Statuses } from '../quorum';
import type { DeployRun } from './run';

/**
 * Phase 5: start the servers that are not running (all at once: a cold ensemble needs a majority to
 * elect), then roll the running servers whose files changed, by the rules of coordinator/quorum.ts: one at
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
    const toRoll = zk.filter((h) => running(h) && run.configured.get(h.name)?.restartNeeded);
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
    await new Roll(run, zk).restartAll(rollOrder(toRoll, before));
  });
}

function startServer(run: DeployRun, h: HostSpec, note = '') {
  return run.hostStep(h, 'start', async () => {
    const r = (await run.fleet.agent(h).zooKeeperService('START', run.dryRun, { signal: run.signal })).result!;
    return { changed: r.changed, description: `${r.description}${note}` };
  });
}

/** One rolling restart: the servers still to go, and the crashed servers being started again meanwhile. */
class Roll {
  private readonly done = new Set<string>();
  private readonly reviving = new Map<string, Promise<unknown>>();
  private readonly servers: HostSpec[];

  constructor(
    private readonly run: DeployRun,
    private readonly live: HostSpec[],
  ) {
    this.servers = zkHosts(run.e);
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
    await this.waitFor((st) => stopBlocker(h, this.servers, st)).catch((err: Error) => {
      const why = `rolling restart stopped before ${h.name}: ${err.message}; no further server was restarted`;
      throw new ZkfError('QUORUM_TIMEOUT', why, { host: h.name, details: { host: h.name, reason: err.message } });
    });
    await run.step(h, 'restart', async () => {
      const r = await run.fleet.agent(h).zooKeeperService('RESTART', false, { signal: run.signal });
      await this.waitFor((st) => backBlocker(h, this.servers, st));
      return { changed: true, description: `${r.result!.description}; back and synced` };
    });
    this.markRestarted(h);
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
      const started = startServer(this.run, h, ' (it had stopped during the roll)').then((r) => {
        if (r && this.run.configured.get(h.name)?.restartNeeded) this.markRestarted(h);
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
