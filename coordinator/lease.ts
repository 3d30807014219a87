import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { asZkfError, ZkfError } from '../shared/errors';
import { describeHolder } from '../shared/lease';
import type { LeaseHolder } from '../shared/proto-types/zkfleet/v1/LeaseHolder';
import type { HostSpec } from './ensemble';
import type { Fleet } from './fleet';
import type { Progress } from './progress';

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
    private readonly fleet: Fleet,
    private readonly hosts: HostSpec[],
    private readonly holder: LeaseHolder,
    private readonly opts: LeaseOptions,
  ) {}

  /** Aborted when the lease is lost: the run stops where it is. */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  static async take(fleet: Fleet, hosts: HostSpec[], opts: LeaseOptions): Promise<DeployLease> {
    const ordered = [...hosts].sort((a, b) => a.name.localeCompare(b.name));
    const lease = new DeployLease(fleet, ordered, holderOf(opts.command), opts);
    await lease.acquire();
    lease.timer = setInterval(() => void lease.renew(), Math.max(1000, Math.floor(opts.ttlMs / 3)));
    lease.timer.unref();
    return lease;
  }

  private async acquire(): Promise<void> {
    const taken: HostSpec[] = [];
    try {
      for (const h of this.hosts) {
        const r = await this.call(h, 'ACQUIRE');
        taken.push(h);
        if (r.broken?.id) this.noteBroken(h, describeHolder(r.broken));
      }
    } catch (err) {
      await Promise.all(taken.map((h) => this.call(h, 'RELEASE').catch(() => undefined)));
      const ze = asZkfError(err);
      if (ze.code !== 'LOCKED') throw ze;
      const why =
        `${ze.message} (on ${ze.host}); nothing was changed. Wait for it to finish, or, if it is gone ` +
        'and cannot wait for its lease to expire, run again with --break-lock';
      throw new ZkfError('LOCKED', why, { host: ze.host, details: ze.details });
    }
  }

  private noteBroken(h: HostSpec, who: string): void {
    const line = `${h.name}: broke the lease of ${who}`;
    this.broken.push(line);
    this.opts.progress.note(`warning: --break-lock: ${line}`);
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

  private call(h: HostSpec, op: 'ACQUIRE' | 'RENEW' | 'RELEASE') {
    const req = { op, holder: this.holder, ttlMs: this.opts.ttlMs, breakLock: op === 'ACQUIRE' && this.opts.breakLock };
    // A release must go out even when the run was cancelled (Ctrl-C): it has its own deadline only.
    return this.fleet.agent(h).lease(req, { signal: op === 'RELEASE' ? undefined : this.opts.signal });
  }
}

/** Who holds the lease, as another operator reads it: the login behind sudo, the machine, the process. */
function holderOf(command: string): LeaseHolder {
  const user = process.env.SUDO_USER || os.userInfo().username;
  return { id: randomUUID(), user, host: os.hostname(), pid: process.pid, since: new Date().toISOString(), command };
}
