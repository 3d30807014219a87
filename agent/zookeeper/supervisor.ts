import { asZkfError } from '../../shared/errors';
import type { Host } from '../daemon/host';
import type { StateFile } from '../daemon/state';
import { logTail } from './process';
import { agentRunner, serverPid } from './runners';
import { serviceQueue, startServer } from './service';

/** A server up this long without stopping is stable again: the next crash is restarted at once. */
const STABLE_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

/** The wait before the next attempt after `failures` starts in a row that did not stay up. */
export function backoffMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
}

/**
 * The agent as supervisor (`zookeeper.supervisor: agent`): a server that should run (the coordinator's last
 * start or restart said so) and does not is started again — at agent start, so at boot, and within seconds
 * of a crash. A crash loop backs off (1 s doubling to 60 s); each restart is counted with how the server
 * stopped and the tail of its log. It goes through the host's one service queue: it never races a roll, and
 * a stop the coordinator asked for is never undone.
 */
export class ZooKeeperSupervisor {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private failures = 0;
  private nextAttemptAt = 0;
  private seenPid = 0;
  private upSince = 0;

  constructor(
    private readonly host: Host,
    private readonly state: StateFile,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.ticking || serviceQueue.busy) return;
    this.ticking = true;
    try {
      await this.check();
    } catch (err) {
      this.host.log.error('supervisor check failed', { error: asZkfError(err).message });
    } finally {
      this.ticking = false;
    }
  }

  private async check(): Promise<void> {
    const zk = (await this.state.read()).zookeeper;
    if (!zk || zk.desired !== 'running' || zk.supervisor !== 'agent') return;
    const pid = await serverPid(zk);
    if (pid) return this.sawRunning(pid);
    if (Date.now() < this.nextAttemptAt) return;
    const unstable = !!this.seenPid && Date.now() - this.upSince < STABLE_MS;
    const reason = this.seenPid
      ? ((await agentRunner.exitOf(this.seenPid)) ?? 'the process went away (started by an earlier agent process)')
      : 'not running when the agent started';
    await this.restart(reason, unstable);
  }

  private async sawRunning(pid: number): Promise<void> {
    if (this.nextAttemptAt) {
      this.nextAttemptAt = 0;
      await this.state.updateZk({ nextAttemptAt: undefined });
    }
    if (pid !== this.seenPid) {
      this.seenPid = pid;
      this.upSince = Date.now();
    } else if (Date.now() - this.upSince > STABLE_MS) {
      this.failures = 0;
    }
  }

  private async restart(reason: string, unstable: boolean): Promise<void> {
    const zk = (await this.state.read()).zookeeper!;
    const tail = await logTail(zk, 10);
    const restarts = (zk.restarts ?? 0) + 1;
    await this.state.updateZk({ restarts, lastExit: reason, lastExitLog: tail });
    this.host.log.warn('zookeeper is down but should run: starting it again', { reason, restarts });
    let failed = unstable;
    try {
      await serviceQueue.run(async () => {
        // Under the queue, look again: a start or stop the coordinator asked for may have come first.
        const now = (await this.state.read()).zookeeper!;
        if (now.desired === 'running' && !(await serverPid(now))) await startServer(this.state, now);
      });
      this.seenPid = await serverPid((await this.state.read()).zookeeper!);
      this.upSince = Date.now();
    } catch (err) {
      failed = true;
      const why = asZkfError(err).message;
      await this.state.updateZk({ lastExit: `${reason}; the start failed: ${why.split('\n')[0]}`, lastExitLog: why });
      this.seenPid = 0;
    }
    this.failures = failed ? this.failures + 1 : 0;
    this.nextAttemptAt = Date.now() + backoffMs(this.failures);
    await this.state.updateZk({ nextAttemptAt: this.failures ? this.nextAttemptAt : undefined });
  }
}
