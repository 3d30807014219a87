import { zkHosts } from '../ensemble';
import { statusAll, waitForQuorum } from '../ensemble-status';
import { verifyEnsemble } from '../zk-client';
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
    waitForQuorum(run.fleet, zkHosts(run.e), expected, quorumMs, run.signal),
  );
  run.result.leader = verdict.leader;
  run.progress.note(`quorum: leader ${verdict.leader}, ${verdict.serving}/${verdict.voters} voters serving`);
  if (!run.opts.skipVerify && run.zk.every((h) => !run.failed(h))) await clientCheck(run);
  await recordModes(run);
}

async function clientCheck(run: DeployRun): Promise<void> {
  const port = run.e.spec.zookeeper.clientPort;
  const servers = run.zk.map((h) => ({ name: h.name, connect: `${h.address}:${port}` }));
  const t = Date.now();
  run.progress.start('ensemble', 'verify');
  const verify = await run.phase('verify', () => verifyEnsemble(servers, run.signal));
  run.result.verify = verify;
  const description = `znode written through the ensemble, read back from ${verify.checked.length} servers`;
  run.progress.done('ensemble', 'verify', { changed: false, description, ms: Date.now() - t });
}

async function recordModes(run: DeployRun): Promise<void> {
  const statuses = await statusAll(run.fleet, run.zk, { signal: run.signal });
  for (const h of run.zk) {
    const s = statuses.get(h.name);
    if (s && !(s instanceof Error)) Object.assign(run.report(h), { mode: s.mode, zxid: s.zxid });
  }
}
