import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { asZkfError, ZkfError } from '../../shared/errors';
import { describeHolder } from '../../shared/lease';
import { byCodePoint } from '../../shared/names';
import type { LeaseHolder } from '../../shared/generated/wire';
import type { AgentConnection } from './agent-client';
import type { Progress } from '../output/progress';

type Host = { name: string };
/** The agents the lease is held on (a Fleet). */
export interface Agents {
  agent(h: Host): AgentConnection;
}

export interface LeaseOptions {
  command: string;
  ttlMs: number;
  breakLock: boolean;
  progress: Progress;
  signal: AbortSignal;
}

/**
 * One deploy or rollback at a time on an ensemble, wherever the operators run it from: the lease is held on
 * the agents, taken host by host in one order (two coordinators meet on the first host, and the second holds
 * nothing), renewed at a third of its TTL, and released at the end. A coordinator killed mid-deploy stops
 * renewing, and the lease expires by itself. A lease lost meanwhile (broken by another operator) aborts
 * this run through `signal`.
 */
export class DeployLease {
  private readonly lost = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly broken: string[] = [];

  private constructor(
    private readonly fleet: Agents,
    private readonly hosts: Host[],
    private readonly holder: LeaseHolder,
    private readonly opts: LeaseOptions,
  ) {}

  /** Aborted when the lease is lost: the run stops where it is. */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  static async take(fleet: Agents, hosts: Host[], opts: LeaseOptions): Promise<DeployLease> {
    const ordered = [...hosts].sort((a, b) => byCodePoint(a.name, b.name));
    const lease = new DeployLease(fleet, ordered, holderOf(opts.command), opts);
    await lease.acquire();
    const ttl = `${Math.round(opts.ttlMs / 1000)} s`;
    opts.progress.note(`deploy lease held on ${ordered.length} agents (it lapses ${ttl} after the last renewal)`);
    lease.timer = setInterval(() => void lease.renew(), Math.max(1000, Math.floor(opts.ttlMs / 3)));
    lease.timer.unref();
    return lease;
  }

  private async acquire(): Promise<void> {
    const taken: Host[] = [];
    try {
      for (const h of this.hosts) {
        const r = await this.acquireOn(h);
        taken.push(h);
        if (r.broken?.id) this.noteBroken(h, describeHolder(r.broken));
      }
    } catch (err) {
      await Promise.all(taken.map((h) => this.call(h, 'RELEASE').catch(() => undefined)));
      const ze = asZkfError(err);
      if (ze.code !== 'LOCKED') throw ze;
      const why =
        `${ze.message} (on ${ze.host}); nothing was changed. Wait for it to finish, or, if it is gone and ` +
        'cannot wait for its lease to expire, run again with --break-lock';
      throw new ZkfError('LOCKED', why, { host: ze.host, details: ze.details });
    }
  }

  /**
   * A lease held by a coordinator process of this machine that no longer exists (killed, crashed) is taken
   * over at once: it can renew nothing. A holder elsewhere is waited out (its TTL) or broken on purpose.
   */
  private async acquireOn(h: Host) {
    try {
      return await this.call(h, 'ACQUIRE');
    } catch (err) {
      const d = asZkfError(err).details;
      if (asZkfError(err).code !== 'LOCKED' || !d || d.holderHost !== this.holder.host) throw err;
      if (typeof d.holderPid !== 'number' || processAlive(d.holderPid)) throw err;
      this.opts.progress.note(`${h.name}: taking over the lease of pid ${d.holderPid}, a coordinator that is gone`);
      return await this.call(h, 'ACQUIRE', true);
    }
  }

  private noteBroken(h: Host, who: string): void {
    const line = `${h.name}: broke the lease of ${who}`;
    this.broken.push(line);
    this.opts.progress.note(`warning: ${line}`);
  }

  /**
   * Renew on every host now and fail if the lease is gone: called before each server is restarted, so a
   * coordinator that was suspended past its TTL (a laptop lid closed) restarts nothing once it wakes.
   */
  async confirm(): Promise<void> {
    for (const h of this.hosts) {
      try {
        await this.call(h, 'RENEW');
      } catch (err) {
        const ze = asZkfError(err);
        if (ze.code !== 'LOCKED') continue;
        this.lose(ze);
        throw this.lost.signal.reason as ZkfError;
      }
    }
  }

  /** A renewal refused (another took the lease) aborts the run; an agent briefly unreachable does not. */
  private async renew(): Promise<void> {
    for (const h of this.hosts) {
      try {
        await this.call(h, 'RENEW');
      } catch (err) {
        const ze = asZkfError(err);
        if (ze.code === 'LOCKED') return this.lose(ze);
      }
    }
  }

  private lose(err: ZkfError): void {
    this.stop();
    this.lost.abort(new ZkfError('LOCKED', `the deploy lease was lost on ${err.host}: ${err.message}`));
  }

  async release(): Promise<void> {
    this.stop();
    if (this.lost.signal.aborted) return;
    await Promise.all(this.hosts.map((h) => this.call(h, 'RELEASE').catch(() => undefined)));
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private call(h: Host, op: 'ACQUIRE' | 'RENEW' | 'RELEASE', takeOver = false) {
    const breakLock = op === 'ACQUIRE' && (this.opts.breakLock || takeOver);
    const req = { op, holder: this.holder, ttlMs: this.opts.ttlMs, breakLock };
    // A release must go out even when the run was cancelled (Ctrl-C): it has its own deadline only.
    return this.fleet.agent(h).lease(req, { signal: op === 'RELEASE' ? undefined : this.opts.signal });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the lease, as another operator reads it: the login behind sudo, the machine, the process. */
function holderOf(command: string): LeaseHolder {
  const user = process.env.SUDO_USER || os.userInfo().username;
  return { id: randomUUID(), user, host: os.hostname(), pid: process.pid, since: new Date().toISOString(), command };
}
