import { ZkfError } from '../../shared/errors';
import type { Ensemble } from '../ensemble/file';
import { statusAll } from '../zookeeper/statuses';
import { rollOrder } from '../zookeeper/quorum';
import { describe, rollbackPlan, type Activated } from '../artifacts/versions';
import { connectAgents } from './connect';
import { Roll } from './roll';
import { DeployRun, type DeployOptions, type DeployResult } from './run';
import { takeLease } from './upgrade';
import { verifyQuorum } from './verify';

type Phase = (run: DeployRun) => Promise<void>;

/**
 * `coordinator rollback`: every server goes back to the ZooKeeper and JDK trees it ran before its last
 * change, the way an upgrade moved it: one at a time, followers first, the leader last, each checked on the
 * version it should run before the next. Servers an upgrade never reached stay as they are.
 */
const PHASES: Phase[] = [
  connectAgents, // facts from every agent; nothing changes if one is missing
  takeLease, // one deploy or rollback at a time
  rollBack, // the plan from what each server runs and ran before; then the roll
  verifyQuorum, // one leader, all synced, the client check
];

export async function rollback(e: Ensemble, opts: Omit<DeployOptions, 'only'>): Promise<DeployResult> {
  const run = await DeployRun.open(e, { ...opts, only: 'zookeeper' }, 'rollback');
  try {
    for (const phase of PHASES) await phase(run);
    return run.finish();
  } catch (err) {
    return await run.finishFailed(err);
  } finally {
    await run.close();
  }
}

async function rollBack(run: DeployRun): Promise<void> {
  const statuses = await statusAll(run.fleet, run.zk, { signal: run.signal });
  const hosts: Activated[] = run.zk.map((h) => {
    const s = statuses.get(h.name);
    if (!s || s instanceof Error) throw new ZkfError('UNAVAILABLE', `${h.name}: no status (${s?.message})`);
    return {
      name: h.name,
      current: { zookeeper: s.zookeeperInstalled, jdk: s.jdkInstalled },
      previous: { zookeeper: s.zookeeperPrevious, jdk: s.jdkPrevious },
    };
  });
  const plan = rollbackPlan(hosts);
  if ('refused' in plan) throw new ZkfError('NOT_FOUND', `cannot roll back: ${plan.refused}. Nothing was changed.`);
  run.target = plan.target;
  run.progress.note(`rolling back to ${describe(plan.target)}: ${plan.move.join(', ') || 'nothing to move'}`);
  const move = run.zk.filter((h) => plan.move.includes(h.name));
  if (run.dryRun) {
    const would = async () => ({ changed: true, description: `would go back to ${describe(plan.target)}` });
    for (const h of move) await run.hostStep(h, 'rollback', would);
    return;
  }
  await run.phase('rollback', () =>
    new Roll(run, run.zk, { rollback: true }, plan.target).restartAll(rollOrder(move, statuses)),
  );
}
