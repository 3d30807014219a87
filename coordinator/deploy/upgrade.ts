import { ZkfError } from '../../shared/errors';
import { artifactVersions } from '../artifacts/tarball-version';
import { DeployLease } from '../fleet/lease';
import { downgrades, enforceVersionProblem, untrustedDataDirs, versionChange } from '../artifacts/versions';
import { libNames, providerProblem } from '../artifacts/provider';
import { superUser } from '../ensemble/zookeeper-users';
import { reconfigVersionProblem } from '../zookeeper/membership';
import { touchedHosts } from './connect';
import { configureHosts } from './install';
import { startAndRoll } from './roll';
import type { DeployRun } from './run';
import { verifyQuorum } from './verify';

/** Take the ensemble's deploy lease on every host the run touches (a dry run touches nothing, takes none). */
export async function takeLease(run: DeployRun): Promise<void> {
  if (run.dryRun) return;
  const { e, opts } = run;
  await run.phase('lease', async () => {
    const lease = await DeployLease.take(run.fleet, touchedHosts(run), {
      command: run.command,
      ttlMs: e.spec.timeouts.leaseMs,
      breakLock: !!opts.breakLock,
      progress: run.progress,
      signal: run.signal,
    });
    run.holdLease(lease);
  });
}

/**
 * Before any host is touched: the versions of the file's artifacts against what each host has. A downgrade
 * to an older minor version stops here (unless --allow-downgrade); a 3.4 dataDir that 3.5+ would refuse
 * gets snapshot.trust.empty for this upgrade. Says what moves where.
 */
export async function checkVersions(run: DeployRun): Promise<void> {
  if (!run.zk.length) return;
  const target = await run.phase('versions', () => artifactVersions(run.e, run.signal));
  run.target = target;
  const installed = run.zk.map((h) => {
    const f = run.facts.get(h.name)!;
    return { name: h.name, zookeeper: f.zookeeperVersion, jdk: f.jdkVersion };
  });
  run.result.versions = { target, hosts: Object.fromEntries(installed.map(({ name, ...v }) => [name, v])) };
  const refused = downgrades(installed, target);
  if (refused.length && !run.opts.allowDowngrade) {
    const why =
      `refusing to downgrade: ${refused.join('; ')}. A deploy does not go back a minor version by accident: ` +
      'to return to what ran before use `coordinator rollback`, or pass --allow-downgrade. Nothing was changed.';
    throw new ZkfError('DOWNGRADE', why, { details: { downgrades: refused } });
  }
  noteMoves(run, installed, target);
  await prepareReconfig(run, target.zookeeper);
  await checkProvider(run, target.zookeeper);
  const facts = run.zk.map((h) => {
    const f = run.facts.get(h.name)!;
    return {
      name: h.name,
      zookeeper: f.zookeeperVersion,
      hasTxnlog: f.dataDirHasTxnlog,
      hasSnapshot: f.dataDirHasSnapshot,
    };
  });
  run.trustEmpty = untrustedDataDirs(facts, target.zookeeper);
  if (run.trustEmpty.length) {
    run.progress.note(
      `${run.trustEmpty.join(', ')}: transaction logs without a snapshot, which ZooKeeper ${target.zookeeper} ` +
        'refuses ("No snapshot found"): snapshot.trust.empty is set for this upgrade and removed by a second roll',
    );
  }
}

/**
 * Reconfig or client authentication asked for: a version that has it, and the super user zkfleet's own calls
 * authenticate as (reconfig, the ACLs, the client check once anonymous clients are refused).
 */
async function prepareReconfig(run: DeployRun, version: string): Promise<void> {
  const z = run.e.spec.zookeeper;
  if (!z.reconfig && !z.auth) return;
  const problems = [
    ...(z.reconfig ? [reconfigVersionProblem(version)].map((w) => w && `zookeeper.reconfig: ${w}`) : []),
    ...(z.auth?.enforce ? [enforceVersionProblem(version)].map((w) => w && `zookeeper.auth.enforce: ${w}`) : []),
  ].filter(Boolean);
  if (problems.length) throw new ZkfError('VERSION_UNSUPPORTED', `${problems.join('; ')}. Nothing was changed.`);
  run.superUser = await superUser(run.e.stateDir);
}

/** zookeeper.prometheus asked for: a version that has the provider, and a tarball that carries its jars. */
async function checkProvider(run: DeployRun, version: string): Promise<void> {
  if (!run.e.spec.zookeeper.prometheus) return;
  const lib = await run.phase('versions', () => libNames(run.e.artifactPaths.zookeeper, run.signal));
  const why = providerProblem(version, lib);
  if (why) throw new ZkfError('ARTIFACT_MISSING', `zookeeper.prometheus: ${why}. Nothing was changed.`);
}

function noteMoves(
  run: DeployRun,
  installed: Array<{ name: string; zookeeper: string; jdk: string }>,
  target: { zookeeper: string; jdk: string },
) {
  for (const [kind, what] of [
    ['zookeeper', 'ZooKeeper'],
    ['jdk', 'JDK'],
  ] as const) {
    const moving = installed.filter((h) =>
      ['upgrade', 'downgrade', 'patch-downgrade'].includes(versionChange(h[kind], target[kind])),
    );
    if (!moving.length) continue;
    const from = [...new Set(moving.map((h) => h[kind]))].join('/');
    run.progress.note(
      `${what} ${from} → ${target[kind]} on ${moving.map((h) => h.name).join(', ')} (one server at a time)`,
    );
  }
}

/** The second roll of a 3.4 → 3.5+ upgrade: every server has written a snapshot; trust in an empty one goes. */
export async function untrustSnapshots(run: DeployRun): Promise<void> {
  if (run.dryRun || !run.trustEmpty.length) return;
  run.trustEmpty = [];
  run.progress.note('removing snapshot.trust.empty: a second roll');
  await configureHosts(run);
  await startAndRoll(run);
  await verifyQuorum(run);
}
