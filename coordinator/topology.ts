import type { ZooKeeperStatus__Output } from '../shared/proto-types/zkfleet/v1/ZooKeeperStatus';
import type { Ensemble, HostSpec } from './ensemble';
import { zkHosts } from './ensemble';

/** Derived facts of an ensemble that deploy, status and the health server all use. */
export function serverName(e: Ensemble, host: HostSpec, myid: number): string {
  const label = e.spec.zookeeper.serverName.replace('{myid}', String(myid)).replace('{name}', host.name);
  return e.spec.dns ? `${label}.${e.spec.dns.zone.replace(/\.$/, '')}` : host.address;
}

export function registryAddress(e: Ensemble, myids: Record<string, number>): string {
  const names = zkHosts(e)
    .filter((h) => !h.observer)
    .map((h) => `${serverName(e, h, myids[h.name])}:${e.spec.zookeeper.clientPort}`);
  return `zookeeper://${names[0]}${names.length > 1 ? `?backup=${names.slice(1).join(',')}` : ''}`;
}

export const SERVING = new Set(['leader', 'follower', 'observer', 'standalone']);

export interface QuorumVerdict {
  ok: boolean;
  leader?: string;
  voters: number;
  serving: number;
  /** How many more voting servers may fail while a quorum remains. */
  tolerates: number;
  problems: string[];
}

/**
 * Judge the ensemble from per-host statuses: exactly one leader, every expected host serving, and the
 * leader's synced followers covering every other voter that is expected to be in.
 */
export function judgeQuorum(
  e: Ensemble,
  statuses: Map<string, ZooKeeperStatus__Output | Error>,
  expected: Set<string> = new Set(zkHosts(e).map((h) => h.name)),
): QuorumVerdict {
  const hosts = zkHosts(e);
  const voters = hosts.filter((h) => !h.observer);
  const problems: string[] = [];
  const leaders = hosts.filter((h) => {
    const s = statuses.get(h.name);
    return !(s instanceof Error) && s?.mode === 'leader';
  });
  const standalone = hosts.filter((h) => {
    const s = statuses.get(h.name);
    return !(s instanceof Error) && s?.mode === 'standalone';
  });
  const servingVoters = voters.filter((h) => {
    const s = statuses.get(h.name);
    return !(s instanceof Error) && s && (s.mode === 'leader' || s.mode === 'follower');
  });
  for (const h of hosts) {
    if (!expected.has(h.name)) continue;
    const s = statuses.get(h.name);
    if (s instanceof Error) problems.push(`${h.name}: no status (${s.message})`);
    else if (!s || !SERVING.has(s.mode)) problems.push(`${h.name}: ${s?.mode ?? 'unknown'}`);
  }
  if (standalone.length && hosts.length > 1)
    problems.push(`${standalone.map((h) => h.name).join(', ')} running standalone: not part of the ensemble`);
  if (leaders.length > 1) problems.push(`${leaders.length} leaders: ${leaders.map((h) => h.name).join(', ')}`);
  if (!leaders.length && hosts.length > 1) problems.push('no leader');
  const leader = leaders.length === 1 ? leaders[0] : undefined;
  if (leader) {
    const ls = statuses.get(leader.name) as ZooKeeperStatus__Output;
    const wantSynced = voters.filter((h) => h.name !== leader.name && expected.has(h.name)).length;
    if (ls.syncedFollowers < wantSynced)
      problems.push(`leader ${leader.name} has ${ls.syncedFollowers} synced followers, expected ${wantSynced}`);
  }
  const quorum = Math.floor(voters.length / 2) + 1;
  const hasQuorum = hosts.length === 1 ? standalone.length === 1 : !!leader && servingVoters.length >= quorum;
  return {
    ok: hasQuorum && problems.length === 0,
    leader: leader?.name ?? standalone[0]?.name,
    voters: voters.length,
    serving: servingVoters.length,
    tolerates: Math.max(0, servingVoters.length - quorum),
    problems,
  };
}
