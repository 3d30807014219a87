import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import type { ZooKeeperStatus__Output } from '../../shared/generated/wire';
import { isServing } from '../../shared/zookeeper/mode';
import type { HostSpec } from '../ensemble/file';
import type { Fleet } from '../fleet/fleet';
import { judgeQuorum, type QuorumVerdict, type Statuses } from './quorum';

/** What deploy, rollback and status read from the agents: every server's status, at once. */
export async function statusAll(
  fleet: Fleet,
  hosts: HostSpec[],
  o: { signal?: AbortSignal; logTailLines?: number } = {},
): Promise<Map<string, ZooKeeperStatus__Output | Error>> {
  const ask = (h: HostSpec) =>
    fleet
      .agent(h)
      .zooKeeperStatus(o.logTailLines ?? 0, { signal: o.signal })
      .catch((err: Error) => err);
  const out = await Promise.all(hosts.map(ask));
  o.signal?.throwIfAborted();
  return new Map(hosts.map((h, i) => [h.name, out[i]]));
}

/** Poll until `why` finds nothing wrong, or fail after timeoutMs saying what was still wrong. */
export async function waitUntil(
  fleet: Fleet,
  hosts: HostSpec[],
  timeoutMs: number,
  signal: AbortSignal,
  why: (statuses: Statuses) => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = why(await statusAll(fleet, hosts, { signal }));
    if (!problem) return;
    if (Date.now() > deadline) {
      const message = `${problem} after ${Math.round(timeoutMs / 1000)} s`;
      throw new ZkfError('QUORUM_TIMEOUT', message, { details: { problem, timeoutMs } });
    }
    await sleep(200, undefined, { signal });
  }
}

/** Wait for a healthy quorum of `expected`; on timeout, say why per server with the tail of its log. */
export async function waitForQuorum(
  fleet: Fleet,
  hosts: HostSpec[],
  expected: ReadonlySet<string>,
  timeoutMs: number,
  signal: AbortSignal,
  known?: Statuses,
): Promise<QuorumVerdict & { statuses: Statuses }> {
  const deadline = Date.now() + timeoutMs;
  // Statuses the caller has just read of every host, with nothing started or stopped since, answer without
  // another round.
  if (known && hosts.every((h) => known.has(h.name))) {
    const verdict = judgeQuorum(hosts, known, expected);
    if (verdict.ok) return { ...verdict, statuses: known };
  }
  for (;;) {
    const statuses = await statusAll(fleet, hosts, { signal });
    const verdict = judgeQuorum(hosts, statuses, expected);
    if (verdict.ok) return { ...verdict, statuses };
    if (Date.now() > deadline) throw await quorumTimeout(fleet, hosts, expected, timeoutMs, verdict, signal);
    await sleep(200, undefined, { signal });
  }
}

async function quorumTimeout(
  fleet: Fleet,
  hosts: HostSpec[],
  expected: ReadonlySet<string>,
  timeoutMs: number,
  verdict: QuorumVerdict,
  signal: AbortSignal,
): Promise<ZkfError> {
  const statuses = await statusAll(fleet, hosts, { signal, logTailLines: 15 });
  const details = hosts.filter((h) => expected.has(h.name)).map((h) => describeServer(h.name, statuses.get(h.name)));
  const head = `no healthy quorum after ${Math.round(timeoutMs / 1000)} s: ${verdict.problems.join('; ')}`;
  return new ZkfError('QUORUM_TIMEOUT', `${head}\n${details.join('\n')}`, {
    details: { problems: verdict.problems, timeoutMs, leader: verdict.leader ?? null },
  });
}

function describeServer(name: string, s: ZooKeeperStatus__Output | Error | undefined): string {
  if (s instanceof Error) return `  ${name}: no status: ${s.message}`;
  if (s && isServing(s.mode)) return `  ${name}: ${s.mode}`;
  const lines = (s?.logTail ?? '').split('\n').filter(Boolean).slice(-10);
  const tail = lines.length ? `\n    log tail:\n${lines.map((l) => `      ${l}`).join('\n')}` : '';
  return `  ${name}: ${s?.mode ?? 'unknown'}${s?.pid ? ` (pid ${s.pid})` : ''}${tail}`;
}
