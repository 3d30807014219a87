import type { ZooKeeperStatus__Output } from '../../shared/generated/wire';
import { isServing, isVoting } from '../../shared/zookeeper/mode';

/**
 * The rules of a quorum and of a rolling restart, as pure functions over per-server statuses. Deploy,
 * rollback and status drive the real ensemble with them; test/unit/quorum.test.ts checks them on made-up
 * statuses. An Error in the map means the server's agent did not answer.
 */
export interface ServerRef {
  name: string;
  observer: boolean;
}
export type Statuses = ReadonlyMap<string, ZooKeeperStatus__Output | Error>;

export interface QuorumVerdict {
  ok: boolean;
  leader?: string;
  voters: number;
  serving: number;
  /** How many more voting servers may fail while a quorum remains. */
  tolerates: number;
  problems: string[];
}

/** Votes needed for a quorum of `voters` servers. */
export function quorumSize(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

function statusOf(statuses: Statuses, name: string): ZooKeeperStatus__Output | undefined {
  const s = statuses.get(name);
  return s instanceof Error ? undefined : s;
}

function modeOf(statuses: Statuses, name: string): string {
  const s = statuses.get(name);
  return s instanceof Error ? 'unreachable' : (s?.mode ?? 'unknown');
}

const isVotingNow = (statuses: Statuses, s: ServerRef) => !s.observer && isVoting(statusOf(statuses, s.name)?.mode);

/** Why each expected server is not serving (unreachable, down, not serving), one entry per server. */
function serverProblems(servers: ServerRef[], statuses: Statuses, expected: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const s of servers) {
    if (!expected.has(s.name)) continue;
    const st = statuses.get(s.name);
    if (st instanceof Error) out.push(`${s.name}: no status (${st.message})`);
    else if (!st || !isServing(st.mode)) out.push(`${s.name}: ${st?.mode ?? 'unknown'}`);
  }
  return out;
}

/**
 * Judge the ensemble: exactly one leader, every expected server serving, and the leader's synced followers
 * covering every other voter expected to be in. A one-server ensemble is healthy when it runs standalone.
 */
export function judgeQuorum(
  servers: ServerRef[],
  statuses: Statuses,
  expected: ReadonlySet<string> = new Set(servers.map((s) => s.name)),
): QuorumVerdict {
  const voters = servers.filter((s) => !s.observer);
  const leaders = servers.filter((s) => statusOf(statuses, s.name)?.mode === 'leader');
  const standalone = servers.filter((s) => statusOf(statuses, s.name)?.mode === 'standalone');
  const serving = voters.filter((s) => isVotingNow(statuses, s)).length;
  const problems = serverProblems(servers, statuses, expected);
  const several = servers.length > 1;
  if (standalone.length && several) problems.push(`${names(standalone)} running standalone: not part of the ensemble`);
  if (leaders.length > 1) problems.push(`${leaders.length} leaders: ${names(leaders)}`);
  if (!leaders.length && several) problems.push('no leader');
  const leader = leaders.length === 1 ? leaders[0] : undefined;
  if (leader) {
    const synced = statusOf(statuses, leader.name)!.syncedFollowers;
    const want = voters.filter((s) => s.name !== leader.name && expected.has(s.name)).length;
    if (synced < want) problems.push(`leader ${leader.name} has ${synced} synced followers, expected ${want}`);
  }
  const quorum = quorumSize(voters.length);
  const hasQuorum = several ? !!leader && serving >= quorum : standalone.length === 1;
  return {
    ok: hasQuorum && problems.length === 0,
    leader: leader?.name ?? standalone[0]?.name,
    voters: voters.length,
    serving,
    tolerates: Math.max(0, serving - quorum),
    problems,
  };
}

const names = (servers: ServerRef[]) => servers.map((s) => s.name).join(', ');

/** "hdss7-12 down, hdss7-21 unreachable": the servers not serving now. */
export function notServing(servers: ServerRef[], statuses: Statuses): string {
  const out = servers.filter((s) => !isServing(statusOf(statuses, s.name)?.mode));
  return out.map((s) => `${s.name} ${modeOf(statuses, s.name)}`).join(', ') || 'none';
}

/** The order a roll plans: everyone but the leader first (in the given order), the leader last. */
export function rollOrder<T extends ServerRef>(toRoll: T[], statuses: Statuses): T[] {
  const isLeader = (s: T) => statusOf(statuses, s.name)?.mode === 'leader';
  return [...toRoll.filter((s) => !isLeader(s)), ...toRoll.filter(isLeader)];
}

/**
 * The next server to restart from those still to go: never the current leader while another remains, so a
 * leader that changed mid-roll still goes last.
 */
export function nextToRoll<T extends ServerRef>(remaining: T[], statuses: Statuses): T | undefined {
  return rollOrder(remaining, statuses)[0];
}

/**
 * Why taking `target` down now would cost the quorum, or undefined when it is safe: there must be a
 * leader, and the voters serving without it must still be a quorum. A target that is not serving (it
 * crashed) costs nothing. A one-voter ensemble can only be restarted with an outage: that is allowed.
 */
export function stopBlocker(target: ServerRef, servers: ServerRef[], statuses: Statuses): string | undefined {
  const self = statuses.get(target.name);
  if (self instanceof Error) return `${target.name} is unreachable (${self.message})`;
  const voters = servers.filter((s) => !s.observer).length;
  if (voters <= 1) return undefined;
  const v = judgeQuorum(servers, statuses);
  if (!v.leader) return `no leader (not serving: ${notServing(servers, statuses)})`;
  const quorum = quorumSize(voters);
  const left = v.serving - (isVotingNow(statuses, target) ? 1 : 0);
  if (left < quorum) {
    const why = `(quorum ${quorum}; not serving: ${notServing(servers, statuses)})`;
    return `restarting ${target.name} now would leave ${left} of ${voters} voters serving ${why}`;
  }
  return undefined;
}

/**
 * Why `target` is not back yet after its restart, or undefined when it is: it serves again and the leader
 * counts every serving follower as synced.
 */
export function backBlocker(target: ServerRef, servers: ServerRef[], statuses: Statuses): string | undefined {
  const self = statusOf(statuses, target.name);
  if (!self || !isServing(self.mode)) {
    return `${target.name} is ${modeOf(statuses, target.name)} (not serving: ${notServing(servers, statuses)})`;
  }
  const v = judgeQuorum(servers, statuses);
  const leader = v.leader ? statusOf(statuses, v.leader) : undefined;
  if (!leader) return 'no leader';
  if (leader.mode === 'standalone') return undefined;
  if (leader.syncedFollowers < v.serving - 1) {
    return `leader ${v.leader} has ${leader.syncedFollowers} synced followers of ${v.serving - 1} serving`;
  }
  return undefined;
}

/** Servers whose agent answers but whose process is gone: a roll starts them again at once. */
export function crashed<T extends ServerRef>(servers: T[], statuses: Statuses): T[] {
  return servers.filter((s) => statusOf(statuses, s.name)?.mode === 'down');
}

/**
 * Why stopping `targets` together would cost the quorum, or undefined: the voters serving without them
 * must still be a quorum (a one-voter ensemble can only be stopped with an outage).
 */
export function stopSetBlocker(targets: ServerRef[], servers: ServerRef[], statuses: Statuses): string | undefined {
  const voters = servers.filter((s) => !s.observer).length;
  if (voters <= 1) return undefined;
  const names = new Set(targets.map((t) => t.name));
  const left = servers.filter((s) => !names.has(s.name) && isVotingNow(statuses, s)).length;
  const quorum = quorumSize(voters);
  if (left >= quorum) return undefined;
  const why = `(quorum ${quorum}; not serving now: ${notServing(servers, statuses)})`;
  return `stopping ${[...names].join(', ')} would leave ${left} of ${voters} voters serving ${why}`;
}
