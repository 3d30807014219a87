import { ZkfError } from '../../shared/errors';
import { describeHolder, leaseDecision } from '../../shared/lease';
import type { LeaseHolder__Output, LeaseReply, LeaseRequest__Output } from '../../shared/generated/wire';
import type { Host } from './host';

/**
 * The deploy lease on this agent. A coordinator takes it on every agent of the ensemble before it changes
 * anything and renews it while it runs; another coordinator is refused with the holder's name. A holder that
 * died stops renewing and the lease expires by itself. A break is logged as an audit entry with who broke
 * whose lease. Kept in memory: an agent restart frees it, and the holder, whose next renewal (and the one
 * before each server's restart) is then refused, stops rather than run beside another deploy.
 */
export class Leases {
  private held: { holder: LeaseHolder__Output; expiresAt: number } | undefined;

  constructor(private readonly host: Host) {}

  handle(req: LeaseRequest__Output, caller: string): LeaseReply {
    if (!req.holder?.id) throw new ZkfError('INVALID_ARGUMENT', 'a lease request names its holder (holder.id)');
    const now = Date.now();
    const current = this.held && this.held.expiresAt > now ? this.held.holder : undefined;
    const d = leaseDecision(req.op, req.holder.id, current, req.breakLock);
    if (d === 'refuse') throw this.refusal(current!);
    if (d === 'lost') {
      const by = current ? `it is held by ${describeHolder(current)}` : 'it expired or the agent restarted';
      throw new ZkfError('LOCKED', `the lease is no longer this deploy's: ${by}`, { host: this.host.config.name });
    }
    if (d === 'release' || d === 'noop') {
      if (d === 'release') this.held = undefined;
      return { ttlMs: 0 };
    }
    const since = d === 'renew' ? current!.since : req.holder.since;
    this.held = { holder: { ...req.holder, since }, expiresAt: now + req.ttlMs };
    if (d === 'break') this.audit(caller, req.holder, current!);
    return { ttlMs: req.ttlMs, broken: d === 'break' ? current : undefined };
  }

  private refusal(h: LeaseHolder__Output): ZkfError {
    return new ZkfError('LOCKED', `the ensemble is held by ${describeHolder(h)}`, {
      host: this.host.config.name,
      details: { holderUser: h.user, holderHost: h.host, holderPid: h.pid, since: h.since, command: h.command },
    });
  }

  private audit(caller: string, by: LeaseHolder__Output, broken: LeaseHolder__Output): void {
    const fields = { audit: true, caller, by: describeHolder(by), broken: describeHolder(broken) };
    this.host.log.warn('deploy lease broken', fields);
  }
}
