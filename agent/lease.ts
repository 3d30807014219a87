import { ZkfError } from '../shared/errors';
import type { LeaseHolder__Output } from '../shared/proto-types/zkfleet/v1/LeaseHolder';
import type { LeaseReply } from '../shared/proto-types/zkfleet/v1/LeaseReply';
import type { LeaseRequest__Output } from '../shared/proto-types/zkfleet/v1/LeaseRequest';
import { describeHolder, leaseDecision } from '../shared/lease';
import type { Host } from './host';
import type { StateFile } from './state';

/**
 * The deploy lease on this agent. A coordinator takes it on every agent of the ensemble before it changes
 * anything and renews it while it runs; another coordinator is refused with the holder's name. Kept in the
 * state file, so an agent restart does not free it early; a holder that died stops renewing and the lease
 * expires by itself. A break is logged as an audit entry with who broke whose lease.
 */
export async function lease(
  host: Host,
  state: StateFile,
  req: LeaseRequest__Output,
  caller: string,
): Promise<LeaseReply> {
  if (!req.holder?.id) throw new ZkfError('INVALID_ARGUMENT', 'a lease request names its holder (holder.id)');
  const now = Date.now();
  const held = (await state.read()).lease;
  const current = held && held.expiresAt > now ? held.holder : undefined;
  const d = leaseDecision(req.op, req.holder.id, current, req.breakLock);
  if (d === 'refuse') {
    const h = current!;
    throw new ZkfError('LOCKED', `the ensemble is held by ${describeHolder(h)}`, {
      host: host.config.name,
      details: { holderUser: h.user, holderHost: h.host, holderPid: h.pid, since: h.since, command: h.command },
    });
  }
  if (d === 'lost') {
    const by = current ? `it is held by ${describeHolder(current)}` : 'it expired';
    throw new ZkfError('LOCKED', `the lease is no longer this deploy's: ${by}`, { host: host.config.name });
  }
  if (d === 'release' || d === 'noop') {
    if (d === 'release') await state.update({ lease: undefined });
    return { ttlMs: 0 };
  }
  const holder: LeaseHolder__Output = { ...req.holder, since: d === 'renew' ? current!.since : req.holder.since };
  await state.update({ lease: { holder, expiresAt: now + req.ttlMs } });
  if (d === 'break') audit(host, caller, holder, current!);
  return { ttlMs: req.ttlMs, broken: d === 'break' ? current : undefined };
}

function audit(host: Host, caller: string, by: LeaseHolder__Output, broken: LeaseHolder__Output): void {
  host.log.warn('deploy lease broken', { audit: true, caller, by: describeHolder(by), broken: describeHolder(broken) });
}
