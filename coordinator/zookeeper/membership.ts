import { isServing } from '../../shared/zookeeper/mode';
import { parseVersion } from '../artifacts/versions';
import { quorumSize, type Statuses } from './quorum';

/**
 * The rules of a membership change, pure: from the servers the ensemble runs with now to the servers the file
 * names, one safe step at a time. test/unit/membership.test.ts checks them on made-up ensembles; the deploy's
 * membership phase (coordinator/deploy/membership.ts) carries the steps out.
 *
 * With static membership (3.4, and 3.5+ without reconfig) every server that stays restarts onto each new
 * list, so each step adds or removes one voter: a joiner starts with the new list and follows the old leader,
 * the others roll onto it (followers first, the leader last); a leaver's peers roll onto the list without
 * it, then it is stopped. A dead server is swapped for its replacement in one step (one restart round instead
 * of two). Found on 3.4.13: a server restarted onto a list that leaves out the current leader cannot follow it
 * and stays LOOKING, so a leaving leader is restarted first (the step's `leaderFirst`).
 */
export interface Member {
  name: string;
  myid: number;
  observer: boolean;
}

export type StepKind = 'add' | 'remove' | 'replace' | 'promote' | 'demote';

export interface MembershipStep {
  kind: StepKind;
  /** The servers that join in this step (one at most), and those that leave (one at most). */
  joins: Member[];
  leaves: Member[];
  /** A member whose role changes in this step (one at most), with its new role: promoted or demoted. */
  roles: Member[];
  /** The membership after the step. */
  members: Member[];
  /** Static: the servers that restart onto `members` (the roll orders them, the leader last). */
  restarts: string[];
  /** Voters after the step, the votes a quorum needs, and the failures it tolerates with the servers up now. */
  voters: number;
  quorum: number;
  tolerates: number;
  /** Why a restart in this step leaves the ensemble without a quorum (allowed only when asked for). */
  outage?: string;
}

export interface MembershipInput {
  /** The membership the servers run with now; empty when no server was ever started (a first deploy). */
  current: Member[];
  /** The membership the file asks for, with the myids already assigned. */
  target: Member[];
  /** Members serving now (leader or follower). */
  serving: ReadonlySet<string>;
  /** The ZooKeeper version the servers run (the oldest, when they differ). */
  version: string;
  /** Reconfig (`zookeeper.reconfig: true`, and the servers run with it): no server that stays restarts. */
  dynamic: boolean;
  /** The file asks for reconfig (the servers may not run with it yet). */
  reconfigAsked?: boolean;
  /** The operator accepts a short loss of quorum at a restart that cannot keep one (a dead server replaced). */
  allowOutage: boolean;
}

export interface MembershipPlan {
  steps: MembershipStep[];
  /** Why the change is refused: each with what to do instead. Nothing is touched when there is one. */
  problems: string[];
}

/** The plan from `current` to `target`, or the reasons it is refused. No change: no steps. */
export function planMembership(input: MembershipInput): MembershipPlan {
  const { current, target } = input;
  if (!current.length) return { steps: [], problems: [] };
  const joining = target.filter((t) => !current.some((c) => c.name === t.name));
  const leaving = current.filter((c) => !target.some((t) => t.name === c.name));
  const changed = target.filter((t) => current.some((c) => c.name === t.name && c.observer !== t.observer));
  const problems = [...shapeProblems(input, joining, leaving)];
  if (problems.length) return { steps: [], problems };
  const steps = stepsFor(input, joining, leaving, changed);
  for (const step of steps) if (step.outage && !input.allowOutage) problems.push(outageProblem(step, input));
  const last = steps.at(-1)?.members ?? current;
  if (votersOf(last).length < 3 && votersOf(last).length !== votersOf(current).length) {
    problems.push(smallEnsembleProblem(votersOf(last).length));
  }
  return { steps: problems.length ? [] : steps, problems };
}

/** What no step order can make safe: checked before any step is planned. */
function shapeProblems(input: MembershipInput, joining: Member[], leaving: Member[]): string[] {
  const out: string[] = [];
  if (input.reconfigAsked && !input.dynamic && (joining.length || leaving.length)) {
    out.push(
      'the file turns reconfig on and changes the membership: the servers do not run with reconfig yet. Deploy ' +
        'the current hosts with zookeeper.reconfig: true first (one roll), then change the membership',
    );
  }
  const static3829 = !input.dynamic && hasZooKeeper3829(input.version);
  if (static3829 && (joining.length || leaving.length)) {
    out.push(
      `ZooKeeper ${input.version} has ZOOKEEPER-3829 (3.5.0–3.5.8, 3.6.0–3.6.1): a static membership change can ` +
        'leave a leader that cannot commit. Upgrade to 3.5.9, 3.6.2 or later first, or turn on reconfig ' +
        '(zookeeper.reconfig: true) and change the membership through it',
    );
  }
  const voters = votersOf(input.current).length;
  if (votersOf(leaving).length * 2 >= voters) {
    out.push(
      `removing ${names(votersOf(leaving))} at once takes away ${votersOf(leaving).length} of ${voters} voters: ` +
        'no quorum of the old list would stay behind to hand the data over. Remove fewer at a time (a deploy per ' +
        'removal), or add servers first',
    );
  }
  return out;
}

/**
 * Dead leavers are swapped for joiners first, then one joiner per step, then one role change per step (an
 * observer promoted or a voter demoted: the server keeps its myid and its data), then one leaver per step.
 */
function stepsFor(input: MembershipInput, joining: Member[], leaving: Member[], roles: Member[]): MembershipStep[] {
  const joins = [...joining];
  const dead = leaving.filter((m) => !input.serving.has(m.name));
  const alive = leaving.filter((m) => input.serving.has(m.name));
  const serving = new Set(input.serving);
  const steps: MembershipStep[] = [];
  let members = [...input.current];
  const push = (kind: StepKind, join: Member | undefined, leave: Member | undefined, role?: Member) => {
    const kept = members.filter((m) => m.name !== leave?.name).map((m) => (m.name === role?.name ? role : m));
    const next = [...kept, ...(join ? [join] : [])];
    steps.push(stepOf(input, { kind, before: members, after: next, join, leave, role }, serving));
    if (join) serving.add(join.name);
    if (leave) serving.delete(leave.name);
    members = next;
  };
  for (const leave of dead) push(joins.length ? 'replace' : 'remove', joins.shift(), leave);
  for (const join of joins) push('add', join, undefined);
  for (const role of roles) push(role.observer ? 'demote' : 'promote', undefined, undefined, role);
  for (const leave of alive) push('remove', undefined, leave);
  return steps;
}

interface StepShape {
  kind: StepKind;
  before: Member[];
  after: Member[];
  join?: Member;
  leave?: Member;
  role?: Member;
}

function stepOf(input: MembershipInput, shape: StepShape, serving: ReadonlySet<string>): MembershipStep {
  const { kind, before, after, join, leave, role } = shape;
  const staying = before.filter((m) => m.name !== leave?.name);
  const restarts = input.dynamic ? [] : staying.map((m) => m.name);
  const servingAfter = new Set([...serving, ...(join ? [join.name] : [])]);
  const quorum = quorumSize(votersOf(after).length);
  const up = votersOf(after).filter((m) => servingAfter.has(m.name)).length;
  return {
    kind,
    joins: join ? [join] : [],
    leaves: leave ? [leave] : [],
    roles: role ? [role] : [],
    members: after,
    restarts,
    voters: votersOf(after).length,
    quorum,
    tolerates: Math.max(0, up - quorum),
    outage: stepOutage(input.dynamic, before, after, restarts, serving, servingAfter),
  };
}

/**
 * Why the step loses the quorum at some moment, or undefined. Static: while a server of the old list restarts
 * (a leaving leader is restarted first, to hand over), the old leader needs a quorum of the old list among
 * the others; the last restart (the leader's) needs one of the new list. Dynamic: the reconfig needs a quorum
 * of the old and of the new list up.
 */
export function stepOutage(
  dynamic: boolean,
  before: Member[],
  after: Member[],
  restarts: string[],
  servingBefore: ReadonlySet<string>,
  servingAfter: ReadonlySet<string>,
): string | undefined {
  const oldVoters = votersOf(before);
  const newVoters = votersOf(after);
  const oldUp = (without?: string) => oldVoters.filter((m) => m.name !== without && servingBefore.has(m.name)).length;
  const newUp = (without?: string) => newVoters.filter((m) => m.name !== without && servingAfter.has(m.name)).length;
  const oldQuorum = quorumSize(oldVoters.length);
  const newQuorum = quorumSize(newVoters.length);
  if (dynamic) {
    if (oldUp() < oldQuorum) return `${oldUp()} of the ${oldVoters.length} voters of the old list serve`;
    return newUp() < newQuorum ? `${newUp()} of the ${newVoters.length} voters of the new list would serve` : undefined;
  }
  if (oldUp() < oldQuorum) return `only ${oldUp()} of the ${oldVoters.length} voters of the old list serve now`;
  const leavers = before.filter((m) => !after.some((a) => a.name === m.name)).map((m) => m.name);
  for (const x of [...leavers, ...restarts].filter((n) => servingBefore.has(n))) {
    const what = leavers.includes(x) ? `stopping ${x}` : `restarting ${x}`;
    if (oldUp(x) < oldQuorum)
      return `${what} leaves ${oldUp(x)} of the ${oldVoters.length} voters of the old list serving`;
    if (newUp(x) < newQuorum)
      return `${what} leaves ${newUp(x)} of the ${newVoters.length} voters of the new list serving`;
  }
  return undefined;
}

/** The members serving now by their statuses (an agent that does not answer: not serving). */
export function servingNow(statuses: Statuses): Set<string> {
  const out = new Set<string>();
  for (const [name, s] of statuses) if (!(s instanceof Error) && isServing(s.mode)) out.add(name);
  return out;
}

/** The leader now, when exactly one server says it leads. */
export function leaderNow(statuses: Statuses): string | undefined {
  const leaders = [...statuses].filter(([, s]) => !(s instanceof Error) && s.mode === 'leader').map(([n]) => n);
  return leaders.length === 1 ? leaders[0] : undefined;
}

/**
 * During a static step: why taking `x` down now (its restart, or a leaver's hand-over) would cost the quorum,
 * or undefined. The same rule as the plan's, on the statuses of this moment; there must be a leader.
 */
export function stepStopBlocker(x: string, before: Member[], after: Member[], statuses: Statuses): string | undefined {
  if (!leaderNow(statuses)) return 'no leader';
  const serving = servingNow(statuses);
  return stepOutage(false, before, after, [x], serving, serving);
}

function outageProblem(step: MembershipStep, input: MembershipInput): string {
  const what = describeStep(step);
  const down = votersOf(input.current).filter((m) => !input.serving.has(m.name));
  const back = down.length ? `bring ${names(down)} back first, or ` : '';
  return (
    `${what}: ${step.outage}, so the ensemble would not serve for a few seconds. ${back}turn on reconfig ` +
    '(zookeeper.reconfig: true, 3.5.3+: no server restarts), or accept the short outage with --allow-outage ' +
    '(acknowledged writes are kept)'
  );
}

function smallEnsembleProblem(voters: number): string {
  return (
    `the change leaves ${voters} voter${voters === 1 ? '' : 's'}: an ensemble of fewer than 3 cannot restart a ` +
    'server without losing its quorum. Keep at least 3 voters'
  );
}

/** Why a version cannot run with dynamic reconfiguration (before 3.5.3 it has none, or an unfinished one). */
export function reconfigVersionProblem(version: string): string | undefined {
  const [major, minor, patch] = parseVersion(version) ?? [];
  const has = major > 3 || (major === 3 && (minor > 5 || (minor === 5 && patch >= 3)));
  return has ? undefined : `ZooKeeper ${version} has no dynamic reconfiguration; it needs 3.5.3 or later`;
}

/** ZOOKEEPER-3829: 3.5.0–3.5.8 and 3.6.0–3.6.1 (fixed in 3.5.9 and 3.6.2). */
export function hasZooKeeper3829(version: string): boolean {
  const [major, minor, patch] = parseVersion(version) ?? [];
  if (major !== 3) return false;
  return (minor === 5 && patch <= 8) || (minor === 6 && patch <= 1);
}

/** "add hdss7-22 (myid 4)", "replace hdss7-12 (myid 2) by hdss7-31 (myid 5)". */
export function describeStep(step: MembershipStep): string {
  const m = (x: Member) => `${x.name} (myid ${x.myid}${x.observer ? ', observer' : ''})`;
  if (step.kind === 'replace') return `replace ${m(step.leaves[0])} by ${m(step.joins[0])}`;
  if (step.kind === 'promote') return `promote ${step.roles[0].name} (myid ${step.roles[0].myid}) to voter`;
  if (step.kind === 'demote') return `demote ${step.roles[0].name} (myid ${step.roles[0].myid}) to observer`;
  return step.kind === 'add' ? `add ${m(step.joins[0])}` : `remove ${m(step.leaves[0])}`;
}

/** The plan as the progress and --dry-run print it: members before and after, then each step. */
export function planLines(current: Member[], plan: MembershipPlan, dynamic: boolean): string[] {
  const list = (ms: Member[]) => ms.map((x) => `${x.name}=${x.myid}${x.observer ? '(observer)' : ''}`).join(' ');
  const last = plan.steps.at(-1)?.members ?? current;
  const lines = [`membership: ${list(current)} → ${list(last)} (${plan.steps.length} step(s), ${how(dynamic)})`];
  plan.steps.forEach((s, i) => {
    const restarts = s.restarts.length ? `; restarts ${s.restarts.join(', ')} (the leader last)` : '; no restart';
    const quorum = `${s.voters} voters, quorum ${s.quorum}, tolerates ${s.tolerates} failure(s)`;
    const outage = s.outage ? `; OUTAGE accepted: ${s.outage}` : '';
    lines.push(`  ${i + 1}. ${describeStep(s)}: ${quorum}${restarts}${outage}`);
  });
  return lines;
}

const how = (dynamic: boolean) => (dynamic ? 'reconfig' : 'static: one voter per step');
const votersOf = (ms: Member[]) => ms.filter((m) => !m.observer);
const names = (ms: Member[]) => ms.map((m) => m.name).join(', ');
