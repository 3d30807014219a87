import { zkHosts } from '../ensemble/file';
import { superUser } from '../ensemble/zookeeper-users';
import { waitForQuorum } from '../zookeeper/statuses';
import type { Statuses } from '../zookeeper/quorum';
import { verifyEnsemble } from '../zookeeper/client';
import type { DeployRun } from './run';

/**
 * Phase 6: the quorum (exactly one leader, every server serving, the leader's synced followers = N-1),
 * then the client check with the native client (a znode written through the ensemble, read back from every
 * server on its own), then each host's mode and zxid for the summary.
 */
export async function verifyQuorum(run: DeployRun): Promise<void> {
  if (run.dryRun || !run.zk.length) return;
  const expected = new Set(run.liveZk.map((h) => h.name));
  if (!expected.size) return;
  const { quorumMs } = run.e.spec.timeouts;
  const verdict = await run.phase('quorum', () =>
    waitForQuorum(run.fleet, zkHosts(run.e), expected, quorumMs, run.signal, run.untouched),
  );
  run.result.leader = verdict.leader;
  run.progress.note(`quorum: leader ${verdict.leader}, ${verdict.serving}/${verdict.voters} voters serving`);
  if (!run.opts.skipVerify && run.zk.every((h) => !run.failed(h))) await clientCheck(run);
  recordModes(run, verdict.statuses);
}

async function clientCheck(run: DeployRun): Promise<void> {
  const { port, tls } = run.zkClient;
  const servers = run.zk.map((h) => ({ name: h.name, connect: `${h.address}:${port}` }));
  const t = Date.now();
  run.progress.start('ensemble', 'verify');
  // With client authentication the check authenticates as zkfleet's super user (rollback and restore too).
  const auth = run.e.spec.zookeeper.auth ? (run.superUser ?? (await superUser(run.e.stateDir))).auth : undefined;
  const verify = await run.phase('verify', () => verifyEnsemble(servers, run.signal, auth, tls));
  run.result.verify = verify;
  const description = `znode written through the ensemble, read back from ${verify.checked.length} servers`;
  run.progress.done('ensemble', 'verify', { changed: false, description, ms: Date.now() - t });
}

/** Each host's mode and zxid for the summary, as the quorum check read them. */
function recordModes(run: DeployRun, statuses: Statuses): void {
  for (const h of run.zk) {
    const s = statuses.get(h.name);
    if (s && !(s instanceof Error)) Object.assign(run.report(h), { mode: s.mode, zxid: s.zxid });
  }
}
