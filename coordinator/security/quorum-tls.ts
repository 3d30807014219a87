import { promises as fs } from 'node:fs';
import { ZkfError } from '../../shared/errors';
import { pkiPaths } from '../../shared/pki/paths';
import { TLS_PROTOCOL } from '../../shared/version';
import {
  QUORUM_STAGES,
  QUORUM_TLS_OFF,
  QUORUM_TLS_ON,
  quorumStagePath,
  STAGE_WORDS,
  type QuorumStage,
} from '../../shared/zookeeper/tls';
import { libNames, tlsJarsProblem } from '../artifacts/provider';
import { tlsVersionProblem } from '../artifacts/versions';
import type { HostSpec } from '../ensemble/file';
import { readState, writeState } from '../ensemble/state';
import { serverName } from '../ensemble/topology';
import { serverCertProblem } from './server-cert';
import { configureHosts } from '../deploy/install';
import { startAndRoll } from '../deploy/roll';
import type { DeployRun } from '../deploy/run';
import { verifyQuorum } from '../deploy/verify';

/*
 * Quorum TLS as a deploy does it: the stages between the one the ensemble reached (recorded after each is
 * verified) and the one the file asks for, one roll each — the first with the deploy's own roll, the others after
 * it. A deploy killed in a stage goes on from the stage recorded: the servers already at the next one have
 * nothing to restart.
 */

/**
 * Planned before anything is touched: the quorum's stages, shown; refused on a version or a tree that cannot do
 * TLS, and client TLS `only` with reconfig (the plain client address is in ZooKeeper's dynamic file).
 */
export async function planQuorumTls(run: DeployRun): Promise<void> {
  if (!run.zk.length) return;
  const z = run.e.spec.zookeeper;
  const reached = (await readState(run.e.stateDir)).quorumTls ?? QUORUM_TLS_OFF;
  const wanted = z.tls.quorum ? QUORUM_TLS_ON : QUORUM_TLS_OFF;
  const path = quorumStagePath(reached, wanted);
  run.quorumTls = { stage: path[0] ?? reached, remaining: path.slice(1) };
  if (z.tls.client === 'only' && z.reconfig) {
    throw new ZkfError(
      'VERSION_UNSUPPORTED',
      'zookeeper.tls.client: only is not supported with zookeeper.reconfig yet (the plain client address lives in ' +
        "ZooKeeper's dynamic file); use both. Nothing was changed.",
    );
  }
  if ((path.length && wanted === QUORUM_TLS_ON) || z.tls.client !== 'off') await checkTlsPossible(run);
  if (!path.length) return;
  if (run.membership?.steps.length) {
    throw new ZkfError(
      'MEMBERSHIP_REFUSED',
      'zookeeper.tls.quorum changes while the membership changes too: one change of the ensemble at a time ' +
        '(deploy the membership first, then TLS). Nothing was changed.',
    );
  }
  const lines = path.map((s, i) => `  ${i + 1}. ${s}: ${STAGE_WORDS[s]}`);
  run.result.quorumTls = { from: reached, to: wanted, stages: path };
  run.progress.note(
    `quorum TLS ${reached} → ${wanted}: ${path.length} rolls, each verified before the next\n${lines.join('\n')}`,
  );
}

async function checkTlsPossible(run: DeployRun): Promise<void> {
  const version = run.target!.zookeeper;
  const old = run.zk.filter((h) => (run.facts.get(h.name)?.protocolVersion ?? 0) < TLS_PROTOCOL);
  const problems = [tlsVersionProblem(version)];
  if (old.length) {
    const names = old.map((h) => `${h.name} (agent ${run.facts.get(h.name)?.agentVersion || '?'})`).join(', ');
    problems.push(`the agents on ${names} predate TLS: upgrade them with \`coordinator bootstrap\` first`);
  }
  if (!problems[0]) problems.push(tlsJarsProblem(await libNames(run.e.artifactPaths.zookeeper, run.signal)));
  const why = problems.filter(Boolean).join('; ');
  if (why) throw new ZkfError('VERSION_UNSUPPORTED', `zookeeper.tls: ${why}. Nothing was changed.`);
}

/**
 * Every server that runs (or moves to) TLS has a certificate from zkfleet's CA for the key its agent made: the
 * host's address and every name the servers use, three weeks of validity left at least; else the key's request is
 * signed now (the key never leaves the host). A renewed certificate is a change of the server's files: the roll
 * restarts it, one server at a time.
 */
export async function issueServerCertificates(run: DeployRun): Promise<void> {
  // A dry run makes no key: the agents show the stores as what the deploy would write.
  if (run.dryRun || !run.quorumTls) return;
  const quorum = run.quorumTls.stage !== QUORUM_TLS_OFF || run.quorumTls.remaining.length > 0;
  if (!quorum && run.e.spec.zookeeper.tls.client === 'off') return;
  const { caCert } = pkiPaths(run.e.pkiDir);
  run.tlsCaPem = await fs.readFile(caCert, 'utf8');
  await run.phase('certificates', () => Promise.all(run.liveZk.map((h) => certifyServer(run, h))));
}

async function certifyServer(run: DeployRun, h: HostSpec): Promise<void> {
  const z = run.e.spec.zookeeper;
  const ips = [h.address];
  const dns = [...new Set([h.name, serverName(run.e, h, run.myids[h.name])])];
  await run.hostStep(h, 'certificate', async () => {
    const a = run.fleet.agent(h);
    const key = await a.zooKeeperServerKey({ installDir: z.installDir, name: h.name }, { signal: run.signal });
    const why = serverCertProblem(key.certPem, { caPem: run.tlsCaPem!, ips, dns, now: new Date() });
    if (!why) {
      run.serverCerts.set(h.name, key.certPem);
      return { changed: false, description: 'ZooKeeper certificate valid' };
    }
    // The certificate library is loaded only when a certificate is made.
    const { signRequest } = require('../../shared/pki/pki') as typeof import('../../shared/pki/pki');
    const cert = await signRequest(run.e.pkiDir, key.csrPem, { name: h.name, role: 'zookeeper', ips, dns });
    run.serverCerts.set(h.name, cert);
    return { changed: true, description: `ZooKeeper certificate issued (${why})` };
  });
}

/**
 * After the deploy's roll: the stage it rolled to verified on every server (configured at it, nothing left to
 * restart, the quorum whole) and recorded; then each remaining stage as a roll of its own, verified and recorded.
 */
export async function advanceQuorumTls(run: DeployRun): Promise<void> {
  if (run.dryRun || !run.quorumTls || run.liveZk.some((h) => run.failed(h))) return;
  await recordStage(run, run.quorumTls.stage);
  while (run.quorumTls.remaining.length) {
    const stage = run.quorumTls.remaining.shift()!;
    run.quorumTls.stage = stage;
    const n = QUORUM_STAGES.indexOf(stage);
    run.progress.note(`quorum TLS stage ${stage} (${n} of ${QUORUM_STAGES.length - 1}): ${STAGE_WORDS[stage]}`);
    await configureHosts(run);
    await startAndRoll(run);
    await verifyQuorum(run);
    await recordStage(run, stage);
  }
}

/** Every live server configured at `stage` and running it (no restart pending); then the state says so. */
async function recordStage(run: DeployRun, stage: QuorumStage): Promise<void> {
  const state = await readState(run.e.stateDir);
  if ((state.quorumTls ?? QUORUM_TLS_OFF) === stage) return;
  const statuses = await Promise.all(
    run.liveZk.map(async (h) => ({ h, s: await run.fleet.agent(h).zooKeeperStatus(0, { signal: run.signal }) })),
  );
  const behind = statuses.filter(({ s }) => s.quorumTls !== stage || s.restartPending.length);
  if (behind.length) {
    const who = behind.map(
      ({ h, s }) => `${h.name} at ${s.quorumTls}${s.restartPending.length ? ' (restart pending)' : ''}`,
    );
    throw new ZkfError('VERIFY_FAILED', `quorum TLS stage ${stage} not reached: ${who.join(', ')}`);
  }
  await writeState(run.e.stateDir, { ...state, quorumTls: stage });
  run.progress.note(`quorum TLS stage ${stage} reached on ${statuses.length} servers, quorum verified`);
}
