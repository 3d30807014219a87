import { ZkfError } from '../../shared/errors';
import { dynamicMembers, renderDynamicCfg } from '../../shared/zookeeper/zoo-cfg';
import type { HostSpec } from '../ensemble/file';
import { serverName } from '../ensemble/topology';
import { leaderNow, type Member, type MembershipStep } from '../zookeeper/membership';
import type { Statuses } from '../zookeeper/quorum';
import { reconfigure } from '../zookeeper/reconfig';
import { waitUntil } from '../zookeeper/statuses';
import { configureHost } from './install';
import { join, modeOf, reachable, specs, statusOf, stepFailed } from './join';
import type { DeployRun, MembershipChange } from './run';

/**
 * A membership step through ZooKeeper's reconfig (the Reconfig guide's way): a joiner starts with the committed
 * list plus itself and follows; one reconfig call adds it, removes a leaver (a leaving leader hands over by
 * itself) or changes a server's role, then a committed write; the step is done when every member's own dynamic
 * file lists the new membership and one of them leads. No server that stays is restarted or reconfigured by
 * zkfleet.
 */
export async function reconfigStep(run: DeployRun, change: MembershipChange, step: MembershipStep, before: Member[]) {
  const joiners = specs(change.hosts, step.joins);
  run.useServers(specs(change.hosts, [...before, ...step.joins]));
  await run.phase('configure', () => Promise.all(joiners.map((h) => configureHost(run, h))));
  const failed = joiners.find((h) => run.failed(h));
  if (failed) throw stepFailed(step, `${failed.name} could not be configured: ${run.report(failed).error}`);
  const live = await reachable(run, specs(change.hosts, [...before, ...step.members]));
  for (const h of joiners) await join(run, h, live);
  const after = live.filter((h) => step.members.some((m) => m.name === h.name));
  const at = change.hosts.get((step.joins[0] ?? step.roles[0] ?? step.leaves[0]).name)!;
  await run.step(at, 'reconfig', async () => {
    await run.lease?.confirm();
    const committed = live.filter(
      (h) => before.some((m) => m.name === h.name) || step.joins.some((j) => j.name === h.name),
    );
    const config = await reconfigure(
      connectString(run, committed),
      superAuth(run),
      changeOf(run, change, step),
      run.signal,
    );
    const expected = dynamicMembers(config);
    await waitUntil(run.fleet, after, run.e.spec.timeouts.quorumMs, run.signal, (st) => notYet(st, after, expected));
    const leader = leaderNow(await statusOf(run, after));
    return { changed: true, description: `config ${versionOf(config)}: ${expected}; ${leader} leads` };
  });
}

/** The change as ZooKeeper takes it: the joiners' dynamic-file lines, the leavers' myids. */
function changeOf(run: DeployRun, change: MembershipChange, step: MembershipStep) {
  const z = run.e.spec.zookeeper;
  // A role change is an add of the same server with its new role.
  const lines = [...step.joins, ...step.roles].map((m) => {
    const server = {
      id: m.myid,
      host: serverName(run.e, change.hosts.get(m.name)!, m.myid),
      quorumPort: z.quorumPort,
      electionPort: z.electionPort,
      observer: m.observer,
    };
    const clientPortAddress = z.bindClientAddress ? change.hosts.get(m.name)!.address : '';
    return renderDynamicCfg({ servers: [server], clientPort: z.clientPort, clientPortAddress }).trim();
  });
  return { joining: lines, leaving: step.leaves.map((m) => m.myid) };
}

/** Why the step is not done yet: a member whose dynamic file does not list `expected`, or no leader. */
function notYet(statuses: Statuses, after: HostSpec[], expected: string): string | undefined {
  for (const h of after) {
    const s = statuses.get(h.name);
    if (s instanceof Error || !s) return `${h.name} does not answer`;
    if (s.configMembers !== expected) return `${h.name} lists ${s.configMembers || 'nothing'}, not ${expected}`;
  }
  return leaderNow(statuses)
    ? undefined
    : `no leader among ${after.map((h) => `${h.name} (${modeOf(statuses, h.name)})`).join(', ')}`;
}

function connectString(run: DeployRun, hosts: HostSpec[]): string {
  return hosts.map((h) => `${h.address}:${run.e.spec.zookeeper.clientPort}`).join(',');
}

function superAuth(run: DeployRun): string {
  if (!run.superUser) throw new ZkfError('INTERNAL', 'reconfig without the super user: checkVersions did not run');
  return run.superUser.auth;
}

const versionOf = (config: string) => /^version=(\w+)/m.exec(config)?.[1] ?? '?';
