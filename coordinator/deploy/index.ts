import type { Ensemble } from '../ensemble/file';
import { readState, writeState } from '../ensemble/state';
import { applyRegistryAcl } from './acl';
import { connectAgents } from './connect';
import { publishDns } from './dns';
import { awaitImageBuild, startImageBuild } from './image';
import { installHosts } from './install';
import { assignServerIds } from './myids';
import { changeMembership, fenceRemoved, membersOf, planMembershipChange } from './membership';
import { advanceQuorumTls, issueServerCertificates, planQuorumTls } from '../security/quorum-tls';
import { startAndRoll } from './roll';
import { DeployRun, type DeployOptions, type DeployResult } from './run';
import { checkVersions, takeLease, untrustSnapshots } from './upgrade';
import { verifyQuorum } from './verify';

export type { DeployOptions, DeployResult, HostReport } from './run';
export type { StepReport } from '../fleet/host-run';
export type { ImageReport } from './run';
export { configureRequest } from './install';

type Phase = (run: DeployRun) => Promise<void>;

/**
 * `coordinator deploy`: the runbook end to end, as a list of phases. Each host step is idempotent and says
 * whether it changed anything; a host that fails is reported and sits out the rest; a phase that cannot
 * go on (an unreachable host before anything changed, DNS, the quorum) stops the run.
 */
const PHASES: Phase[] = [
  connectAgents, // facts from every agent; nothing changes if one is missing
  takeLease, // one deploy at a time: the lease on every agent, renewed while this runs
  checkVersions, // the artifacts' versions against the hosts': no downgrade, the 3.4 → 3.5 trap
  startImageBuild, // the ops host builds alongside everything below
  fenceRemoved, // removed servers whose host was off at their removal: stopped for good now
  assignServerIds, // stable myids, written to the state before any host is touched
  planMembershipChange, // the file's servers against the running ones: the steps, shown; refused here if unsafe
  planQuorumTls, // zookeeper.tls.quorum: the migration's stages from the one reached, shown; refused if impossible
  publishDns, // A records, then every host resolves every server name
  issueServerCertificates, // TLS: each server's certificate for the key its agent made, renewed 3 weeks ahead
  installHosts, // artifacts, JDK, ZooKeeper, zoo.cfg/java.env/myid
  changeMembership, // one step at a time: join, roll onto the new list, remove; each recorded when done
  startAndRoll, // start what is down; roll what runs with changed files
  verifyQuorum, // one leader, all synced, the client check
  advanceQuorumTls, // the TLS stage reached recorded, then each further stage a verified roll of its own
  applyRegistryAcl, // zookeeper.auth: the registry root's ACL, as zkfleet's super user
  untrustSnapshots, // after a 3.4 → 3.5+ upgrade that needed it: snapshot.trust.empty off, a second roll
  awaitImageBuild,
  recordDeploy,
];

export async function deploy(e: Ensemble, opts: DeployOptions): Promise<DeployResult> {
  const run = await DeployRun.open(e, opts);
  try {
    for (const phase of PHASES) await phase(run);
    return run.finish();
  } catch (err) {
    if (run.imageRun) run.result.image = await run.imageRun.catch(() => undefined);
    return await run.finishFailed(err);
  } finally {
    await run.close();
  }
}

async function recordDeploy(run: DeployRun): Promise<void> {
  if (run.dryRun) return;
  const state = await readState(run.e.stateDir);
  const ok = ![...run.reports.values()].some((r) => r.error);
  const changed = [...run.reports.values()].some((r) => r.changed);
  const lastDeploy = { at: new Date().toISOString(), ok, changed };
  // The file's servers are the membership once a deploy went through: the next one plans against them.
  const members = ok && run.zk.length ? membersOf(run) : state.members;
  await writeState(run.e.stateDir, { ...state, lastDeploy, members });
}
