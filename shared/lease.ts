import type { LeaseHolder__Output, LeaseRequest__Output } from './generated/wire';

export type LeaseOp = LeaseRequest__Output['op'];
export type LeaseDecision = 'grant' | 'renew' | 'break' | 'refuse' | 'lost' | 'release' | 'noop';

/**
 * What an agent does with a lease request, given the live holder (undefined when none or expired). A lease
 * that expired is lost for good, even when nobody took it: another deploy may have run and ended meanwhile,
 * and a coordinator that was suspended must not go on with what it planned before.
 */
export function leaseDecision(
  op: LeaseOp,
  id: string,
  current: Pick<LeaseHolder__Output, 'id'> | undefined,
  breakLock: boolean,
): LeaseDecision {
  const mine = current?.id === id;
  switch (op) {
    case 'ACQUIRE':
      if (!current) return 'grant';
      if (mine) return 'renew';
      return breakLock ? 'break' : 'refuse';
    case 'RENEW':
      return mine ? 'renew' : 'lost';
    case 'RELEASE':
      return mine ? 'release' : 'noop';
  }
}

/** "alice@laptop-1 (pid 4242, deploy since 2026-11-26T21:00:00Z)" */
export function describeHolder(h: Pick<LeaseHolder__Output, 'user' | 'host' | 'pid' | 'since' | 'command'>): string {
  return `${h.user}@${h.host} (pid ${h.pid}, ${h.command || 'deploy'} since ${h.since})`;
}
