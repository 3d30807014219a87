import { ZkfError, asZkfError } from '../../shared/errors';
import type { HostSpec } from '../ensemble/file';
import { readState, writeState, type EnsembleState, type MemberRecord } from '../ensemble/state';
import { zoneLabel } from '../ensemble/topology';
import { versionChange } from '../artifacts/versions';
import {
  describeStep,
  leaderNow,
  planLines,
  planMembership,
  servingNow,
  stepStopBlocker,
  type Member,
  type MembershipStep,
} from '../zookeeper/membership';
import { rollOrder, type Statuses } from '../zookeeper/quorum';
import { waitUntil } from '../zookeeper/statuses';
import { configureHost } from './install';
import { join, modeOf, reachable, specs, statusOf, stepFailed } from './join';
import { reconfigStep } from './reconfig';
import { Roll } from './roll';
import type { DeployRun, MembershipChange } from './run';

/**
 * The file is the membership. Phase (before DNS and installs): the servers the ensemble runs with now (the
 * state's record) against the file's, planned with the rules of
 * coordinator/zookeeper/membership.ts and shown; a change those rules refuse stops here, nothing touched.
 */
export async function planMembershipChange(run: DeployRun): Promise<void> {
  if (!run.zk.length) return;
  const state = await readState(run.e.stateDir);
  const hosts = hostsOf(run, state);
  // The lists a step renders name the leavers too, with the myids they run with.
  for (const m of [...(state.members ?? []), ...(state.fence ?? [])]) run.myids[m.name] ??= m.myid;
  const current = currentMembers(state);
  const target = run.zk.map((h) => ({ name: h.name, myid: run.myids[h.name], observer: h.observer }));
  // Most deploys change nothing here: no status is read then, and an ensemble that is down is started as before.
  if (!current.length || sameMembers(current, target)) return;
  const statuses = await settled(run, specs(hosts, current));
  const dynamic = run.e.spec.zookeeper.reconfig && runsReconfig(statuses);
  const plan = planMembership({
    current,
    target,
    serving: servingNow(statuses),
    version: runningVersion(statuses),
    dynamic,
    reconfigAsked: run.e.spec.zookeeper.reconfig,
    allowOutage: !!run.opts.allowOutage,
  });
  if (!plan.steps.length && !plan.problems.length) return;
  const lines = planLines(current, plan, dynamic);
  for (const line of lines) run.progress.note(line);
  run.result.plan = [...lines, ...plan.problems.map((p) => `refused: ${p}`)];
  if (plan.problems.length) {
    const message = `membership change refused; nothing was touched:\n  ${plan.problems.join('\n  ')}`;
    throw new ZkfError('MEMBERSHIP_REFUSED', message, { details: { problems: plan.problems } });
  }
  await gatherLeaverFacts(run, hosts, current);
  run.membership = { current, steps: plan.steps, hosts, dynamic };
  run.useServers(specs(hosts, current));
}

/**
 * The members' statuses once one of them leads: a deploy that starts while they elect (a leader just stopped)
 * would see nobody serving and misjudge every step.
 */
async function settled(run: DeployRun, members: HostSpec[]): Promise<Statuses> {
  await waitUntil(run.fleet, members, run.e.spec.timeouts.quorumMs, run.signal, (st) =>
    leaderNow(st) ? undefined : `no leader among ${members.map((h) => `${h.name} (${modeOf(st, h.name)})`).join(', ')}`,
  );
  return statusOf(run, members);
}

/** Every host a change may name: the file's ZooKeeper hosts, and the state's members that left the file. */
function hostsOf(run: DeployRun, state: EnsembleState): Map<string, HostSpec> {
  const hosts = new Map(run.zk.map((h) => [h.name, h]));
  for (const m of [...(state.members ?? []), ...(state.fence ?? [])]) {
    if (hosts.has(m.name)) continue;
    hosts.set(m.name, { name: m.name, address: m.address, agent: m.agent, roles: ['zookeeper'], observer: m.observer });
  }
  return hosts;
}

/**
 * The membership the servers run with: the state's record, written by the first deploy that went through and by
 * every step since. Without one there is no ensemble to change yet (a first deploy, or one that stopped part-way
 * and is run again): the file's servers are simply deployed, as before zkfleet planned membership changes.
 */
function currentMembers(state: EnsembleState): Member[] {
  return (state.members ?? []).map((m) => ({ name: m.name, myid: m.myid, observer: m.observer }));
}

function sameMembers(a: Member[], b: Member[]): boolean {
  const key = (ms: Member[]) =>
    ms
      .map((m) => `${m.name}/${m.observer}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** Reconfig runs when every member that answers has a dynamic file (a config version). */
function runsReconfig(statuses: Statuses): boolean {
  const answers = [...statuses.values()].filter((s) => !(s instanceof Error) && s.pid > 0);
  return answers.length > 0 && answers.every((s) => !(s instanceof Error) && !!s.configVersion);
}

/** The oldest version a member reports (the one whose defects count), from `srvr`. */
function runningVersion(statuses: Statuses): string {
  const versions = [...statuses.values()].flatMap((s) => (s instanceof Error || !s.version ? [] : [s.version]));
  const oldest = (a: string, b: string) => (versionChange(a, b) === 'upgrade' ? a : b);
  return versions.map((v) => v.split(/[-,]/)[0]).reduce(oldest, versions[0]?.split(/[-,]/)[0] ?? '');
}

/** Removed servers that still restart in an earlier step are configured like the others: their facts. */
async function gatherLeaverFacts(run: DeployRun, hosts: Map<string, HostSpec>, current: Member[]): Promise<void> {
  const leavers = current.filter((m) => !run.zk.some((h) => h.name === m.name)).map((m) => hosts.get(m.name)!);
  await Promise.all(
    leavers.map(async (h) => {
      run.addHost(h);
      const facts = await run.fleet
        .agent(h)
        .facts({}, { signal: run.signal })
        .catch(() => undefined);
      if (facts) run.facts.set(h.name, facts);
    }),
  );
}

/**
 * Phase (after the installs): each step of the planned change in order, each verified before the next, and
 * recorded in the state when done, so a re-run after a kill goes on from the step it reached.
 */
export async function changeMembership(run: DeployRun): Promise<void> {
  const change = run.membership;
  if (!change) return;
  if (run.dryRun) return planSteps(run, change);
  await run.phase('membership', async () => {
    let before = change.current;
    for (const [i, step] of change.steps.entries()) {
      run.progress.note(`membership step ${i + 1} of ${change.steps.length}: ${describeStep(step)}`);
      await runStep(run, change, step, before);
      before = step.members;
    }
  });
  run.useServers(undefined);
}

/** A dry run: each host's part in each step, as the summary shows it; nothing is touched. */
async function planSteps(run: DeployRun, change: MembershipChange): Promise<void> {
  for (const [i, step] of change.steps.entries()) {
    const at = ` (membership step ${i + 1}: ${describeStep(step)})`;
    const would = (h: HostSpec, name: string, what: string) =>
      run.hostStep(h, name, async () => ({ changed: true, description: `${what}${at}` }));
    const joinWhat = change.dynamic
      ? 'would start with the committed list plus itself, then be added by reconfig'
      : 'would start with the new list';
    for (const j of step.joins) await would(change.hosts.get(j.name)!, 'join', joinWhat);
    for (const r of step.roles) {
      const role = r.observer ? 'an observer' : 'a voter';
      const how = change.dynamic ? 'by reconfig, without a restart' : 'restarting with the new list';
      await would(change.hosts.get(r.name)!, 'role', `would become ${role}, ${how}`);
    }
    for (const n of step.restarts) await would(change.hosts.get(n)!, 'restart', 'would restart onto the new list');
    for (const l of step.leaves) {
      run.addHost(change.hosts.get(l.name)!);
      const first = change.dynamic ? 'would be removed by reconfig, then ' : 'would ';
      await would(change.hosts.get(l.name)!, 'remove', `${first}stop for good, its data moved aside`);
    }
  }
}

async function runStep(run: DeployRun, change: MembershipChange, step: MembershipStep, before: Member[]) {
  if (change.dynamic) await reconfigStep(run, change, step, before);
  else await staticStep(run, change, step, before);
  const unreached = await retire(run, specs(change.hosts, step.leaves));
  await dropRecords(run, specs(change.hosts, step.leaves), step);
  await commit(run, change, step, unreached);
}

/** Static: the joiner starts with the new list, a leaving leader hands over, the others roll onto the list. */
async function staticStep(run: DeployRun, change: MembershipChange, step: MembershipStep, before: Member[]) {
  const after = specs(change.hosts, step.members);
  run.useServers(after);
  await run.phase('configure', () => Promise.all(after.map((h) => configureHost(run, h))));
  const failed = after.find((h) => run.failed(h));
  if (failed) throw stepFailed(step, `${failed.name} could not be configured: ${run.report(failed).error}`);
  const live = await reachable(run, specs(change.hosts, [...before, ...step.members]));
  for (const j of step.joins) await join(run, change.hosts.get(j.name)!, live);
  for (const l of step.leaves) await handOver(run, change.hosts.get(l.name)!, live, step, before);
  await rollOnto(run, step, before, after, live);
}

/**
 * A leaving leader is restarted first, on the list it has, so the leadership moves to a server that stays:
 * a server restarted onto a list without the current leader cannot follow it (seen on 3.4.13).
 */
async function handOver(run: DeployRun, h: HostSpec, live: HostSpec[], step: MembershipStep, before: Member[]) {
  if (leaderNow(await statusOf(run, live)) !== h.name) return;
  const quorumMs = run.e.spec.timeouts.quorumMs;
  if (!step.outage) {
    await waitUntil(run.fleet, live, quorumMs, run.signal, (st) => stepStopBlocker(h.name, before, step.members, st));
  }
  await run.lease?.confirm();
  await run.step(h, 'hand-over', async () => {
    await run.fleet.agent(h).zooKeeperService('RESTART', false, { signal: run.signal });
    await waitUntil(run.fleet, live, quorumMs, run.signal, (st) => {
      const leader = leaderNow(st);
      if (!leader || leader === h.name) return `waiting for a leader other than ${h.name}`;
      return servingNow(st).has(h.name) ? undefined : `${h.name} is not back yet (${modeOf(st, h.name)})`;
    });
    return {
      changed: true,
      description: `restarted so that the leadership moves: ${leaderNow(await statusOf(run, live))} leads`,
    };
  });
}

/** The servers that stay restart onto the new list, followers first, the leader last, by the step's rule. */
async function rollOnto(run: DeployRun, step: MembershipStep, before: Member[], after: HostSpec[], live: HostSpec[]) {
  const statuses = await statusOf(run, live);
  const running = (h: HostSpec) => {
    const s = statuses.get(h.name);
    return !!s && !(s instanceof Error) && s.pid > 0;
  };
  const due = after.filter(
    (h) => step.restarts.includes(h.name) && running(h) && run.configured.get(h.name)?.restartNeeded,
  );
  if (!due.length) return;
  const stopBlocker = step.outage
    ? () => undefined
    : (h: HostSpec, st: Statuses) => stepStopBlocker(h.name, before, step.members, st);
  await new Roll(run, live, { activate: true }, run.target, { servers: live, stopBlocker }).restartAll(
    rollOrder(due, statuses),
  );
  for (const h of due) run.configured.delete(h.name);
}

/**
 * The leavers are stopped for good: kept stopped by their agents (supervisor, boot), data moved aside. An agent
 * that cannot be reached now (a dead host) is told at the next contact; the names are returned.
 */
async function retire(run: DeployRun, leavers: HostSpec[]): Promise<HostSpec[]> {
  const unreached: HostSpec[] = [];
  for (const h of leavers) {
    run.addHost(h);
    const reply = await run.fleet
      .agent(h)
      .zooKeeperService('RETIRE', false, { signal: run.signal })
      .catch((err: unknown) => asZkfError(err));
    if (reply instanceof ZkfError && (reply.code === 'UNAVAILABLE' || reply.code === 'TIMEOUT')) {
      run.progress.note(
        `${h.name} cannot be reached (${reply.message}): its server is stopped for good at the next contact`,
      );
      unreached.push(h);
      continue;
    }
    await run.step(h, 'remove', async () => {
      if (reply instanceof ZkfError) throw reply;
      return reply.result!;
    });
  }
  return unreached;
}

/** The leavers' A records go once no server lists them any more. */
async function dropRecords(run: DeployRun, leavers: HostSpec[], step: MembershipStep): Promise<void> {
  const dns = run.e.spec.dns;
  if (!dns || !leavers.length) return;
  const remove = leavers.map((h) => zoneLabel(run.e, h, myidOf(step, h.name)));
  const dnsHost = run.e.spec.hosts.find((h) => h.name === dns.host)!;
  await run.step(dnsHost, 'dns', () =>
    run.fleet
      .agent(dnsHost)
      .upsertDnsRecords(
        { zone: dns.zone, zoneFile: dns.zoneFile, dryRun: false, records: [], remove },
        { signal: run.signal },
      ),
  );
}

/** The step is done: the state says which servers the ensemble runs with, and who is still to be told. */
async function commit(run: DeployRun, change: MembershipChange, step: MembershipStep, unreached: HostSpec[]) {
  const state = await readState(run.e.stateDir);
  const record = (m: Member): MemberRecord => {
    const h = change.hosts.get(m.name)!;
    return { name: m.name, address: h.address, agent: h.agent, myid: m.myid, observer: m.observer };
  };
  const fence = [
    ...(state.fence ?? []),
    ...step.leaves.filter((l) => unreached.some((u) => u.name === l.name)).map(record),
  ];
  await writeState(run.e.stateDir, {
    ...state,
    members: step.members.map(record),
    fence: fence.length ? fence : undefined,
  });
}

/**
 * Removed servers whose agent could not be told at their removal (a host that was off): told now, at this
 * deploy's first contact, so their server is stopped and kept stopped. Still unreachable: next time.
 */
export async function fenceRemoved(run: DeployRun): Promise<void> {
  if (run.dryRun) return;
  const state = await readState(run.e.stateDir);
  if (!state.fence?.length) return;
  const hosts = state.fence.map((m): HostSpec => ({ ...m, roles: ['zookeeper'] }));
  const unreached = await retire(run, hosts);
  const fence = state.fence.filter((m) => unreached.some((u) => u.name === m.name));
  await writeState(run.e.stateDir, { ...state, fence: fence.length ? fence : undefined });
}

/** After a deploy that went through: the state records the file's servers as the membership. */
export function membersOf(run: DeployRun): MemberRecord[] {
  return run.zk.map((h) => ({
    name: h.name,
    address: h.address,
    agent: h.agent,
    myid: run.myids[h.name],
    observer: h.observer,
  }));
}

const myidOf = (step: MembershipStep, name: string) =>
  [...step.leaves, ...step.members].find((m) => m.name === name)!.myid;
