import { ZkfError } from '../../shared/errors';
import type { HostSpec } from '../ensemble/file';
import { describeStep, servingNow, type Member, type MembershipStep } from '../zookeeper/membership';
import type { Statuses } from '../zookeeper/quorum';
import { statusAll, waitUntil } from '../zookeeper/statuses';
import { committedWrite, connectZk } from '../zookeeper/client';
import { startServer } from './roll';
import type { DeployRun } from './run';

// What the static and the reconfig membership steps share: who answers, and a joiner's start.

/** The hosts whose agent answers now (a dead leaver is left out of every wait). */
export async function reachable(run: DeployRun, hosts: HostSpec[]): Promise<HostSpec[]> {
  const unique = [...new Map(hosts.map((h) => [h.name, h])).values()];
  const statuses = await statusAll(run.fleet, unique, { signal: run.signal });
  return unique.filter((h) => !(statuses.get(h.name) instanceof Error));
}

/**
 * The joiner starts (static: with the new list; reconfig: with the committed list plus itself) and follows the
 * leader before anything else changes.
 */
export async function join(run: DeployRun, h: HostSpec, live: HostSpec[]): Promise<void> {
  await commitBeforeJoin(
    run,
    live.filter((s) => s !== h),
  );
  if (!(await startServer(run, h))) throw new ZkfError('COMMAND_FAILED', run.report(h).error!, { host: h.name });
  await run.step(h, 'join', async () => {
    await waitUntil(run.fleet, live, run.e.spec.timeouts.quorumMs, run.signal, (st) =>
      servingNow(st).has(h.name) ? undefined : `${h.name} has not joined the ensemble yet (${modeOf(st, h.name)})`,
    );
    run.configured.delete(h.name);
    return { changed: true, description: `serving (${modeOf(await statusOf(run, live), h.name)})` };
  });
}

const COMMIT_MS = 20_000;

/**
 * A write committed through the ensemble before a server joins. A joiner synced while the leader's epoch has no
 * transaction yet (the leader just changed: the roll of the step before ended with it) takes its snapshot at the
 * epoch's first zxid and has no log; every voter's last logged zxid is below that. The next leader then asks it to
 * truncate to its own, which 3.4 cannot do without a log ("No log files found to truncate"): the joiner fails to
 * follow again and again, for good (seen in the sandbox growing 3 → 5 on a quiet 3.4.13 ensemble). With one
 * transaction in the epoch first, its snapshot is at a zxid every voter has.
 */
async function commitBeforeJoin(run: DeployRun, servers: HostSpec[]): Promise<void> {
  const { port, tls } = run.zkClient;
  const connect = servers.map((s) => `${s.address}:${port}`).join(',');
  const client = await connectZk(connect, 10_000, 10_000, run.signal, run.superUser?.auth, tls);
  try {
    await committedWrite(client, 'committed before a server joins', Date.now() + COMMIT_MS, run.signal);
  } finally {
    client.close();
  }
}

export const statusOf = (run: DeployRun, hosts: HostSpec[]) => statusAll(run.fleet, hosts, { signal: run.signal });

export function modeOf(statuses: Statuses, name: string): string {
  const s = statuses.get(name);
  return s instanceof Error ? 'unreachable' : (s?.mode ?? 'unknown');
}

export function stepFailed(step: MembershipStep, why: string): ZkfError {
  return new ZkfError('COMMAND_FAILED', `membership step "${describeStep(step)}" stopped: ${why}`);
}

export const specs = (hosts: Map<string, HostSpec>, members: Member[]) =>
  [...new Set(members.map((m) => m.name))].map((n) => hosts.get(n)!);
