import { ZkfError } from '../../shared/errors';
import { assignMyids, readState, writeState } from '../ensemble/state';
import { registryAddress, serverName } from '../ensemble/topology';
import type { DeployRun } from './run';

/**
 * Phase 2, stable myids: a pin in the file, then the coordinator's state, then what the host holds, then
 * the next id never used. The state is written before any host is touched.
 */
export async function assignServerIds(run: DeployRun): Promise<void> {
  const { e, zk } = run;
  if (!zk.length) return;
  const state = await readState(e.stateDir);
  const existing = Object.fromEntries(
    zk.map((h) => {
      const f = run.facts.get(h.name)!;
      return [h.name, { myid: f.myid, hasData: f.dataDirHasData }];
    }),
  );
  const assigned = assignMyids(state, { hosts: zk.map((h) => h.name), pins: e.spec.zookeeper.myids, existing });
  if (assigned.problems.length) {
    const message = `myid assignment refused; nothing was changed:\n  ${assigned.problems.join('\n  ')}`;
    throw new ZkfError('MYID_CONFLICT', message, { details: { problems: assigned.problems } });
  }
  run.myids = assigned.myids;
  if (!run.dryRun) await writeState(e.stateDir, assigned.state);
  for (const h of zk) {
    const r = run.report(h);
    r.myid = run.myids[h.name];
    r.dnsName = serverName(e, h, run.myids[h.name]);
  }
  run.result.registry = registryAddress(e, run.myids);
}
