import path from 'node:path';
import { asZkfError, ZkfError } from '../../shared/errors';
import { zkHosts, type Ensemble, type HostSpec } from '../ensemble/file';
import { statusAll } from '../zookeeper/statuses';
import { connectAgents } from '../deploy/connect';
import { DeployRun, type DeployOptions, type DeployResult } from '../deploy/run';
import { takeLease } from '../deploy/upgrade';
import { verifyQuorum } from '../deploy/verify';
import { restorePlan } from './rules';
import { checkFiles, readManifest, type Manifest } from './store';

export interface RestoreOptions extends Omit<DeployOptions, 'only'> {
  from: string;
  yes: boolean;
  /** Asks the operator on a terminal; absent (no terminal), a restore without --yes does nothing. */
  confirm?: (plan: string[]) => Promise<boolean>;
}

type Phase = (run: DeployRun, b: Loaded) => Promise<void>;
interface Loaded {
  dir: string;
  manifest: Manifest;
  id: string;
}

/**
 * `coordinator restore`: the backup is checked here before any host is contacted (every file's digest),
 * the plan is shown and confirmed, then: the backup's files on every host, every server stopped, each
 * dataDir and dataLogDir moved aside (never deleted) and the backup placed, every server started, the
 * quorum and the client check. A re-run after an interruption finishes the job (a restored host is left
 * as it is).
 */
const PHASES: Phase[] = [
  (run) => connectAgents(run), // facts from every agent; nothing changes if one is missing
  planAndConfirm, // what it will do, and a yes (--yes, or the operator at a terminal)
  (run) => takeLease(run), // one deploy, rollback or restore at a time
  uploadBackup, // the files onto every host first: nothing stops before they are all there
  replaceData, // stop all, move aside, place, start all
  (run) => verifyQuorum(run), // one leader, all synced, the client check
];

export async function restore(e: Ensemble, opts: RestoreOptions): Promise<DeployResult> {
  const dir = path.resolve(opts.from);
  const manifest = await readManifest(dir);
  if (manifest.ensemble !== e.spec.name) {
    throw new ZkfError('INVALID_ARGUMENT', `${dir} is a backup of "${manifest.ensemble}", not of "${e.spec.name}"`);
  }
  await checkFiles(dir, manifest);
  const run = await DeployRun.open(e, { ...opts, only: 'zookeeper' }, 'restore');
  const b = { dir, manifest, id: path.basename(dir) };
  try {
    for (const phase of PHASES) {
      await phase(run, b);
      if (run.dryRun && phase === planAndConfirm) break;
    }
    return run.finish();
  } catch (err) {
    return await run.finishFailed(err);
  } finally {
    await run.close();
  }
}

async function planAndConfirm(run: DeployRun, b: Loaded): Promise<void> {
  const statuses = await statusAll(run.fleet, run.zk, { signal: run.signal });
  const z = run.e.spec.zookeeper;
  const m = b.manifest;
  const plan = restorePlan({
    ensemble: run.e.spec.name,
    backup: {
      name: b.id,
      createdAt: m.createdAt,
      source: m.source.host,
      zookeeperVersion: m.zookeeperVersion,
      lastZxid: m.lastZxid,
      nodes: m.verified.nodeCount,
    },
    hosts: run.zk.map((h) => {
      const s = statuses.get(h.name);
      const ok = s && !(s instanceof Error) ? s : undefined;
      return { name: h.name, dataDir: z.dataDir, dataLogDir: z.dataLogDir, running: !!ok?.pid, zxid: ok?.zxid ?? '' };
    }),
    logs: m.files.filter((f) => f.kind === 'log').length,
  });
  run.result.plan = plan.lines;
  if (run.dryRun) return;
  const opts = run.opts as RestoreOptions;
  if (opts.yes) return;
  if (opts.confirm && (await opts.confirm(plan.lines))) return;
  const why = opts.confirm
    ? 'not confirmed: nothing was done'
    : 'a restore stops every server and replaces its data: nothing was done; run again with --yes (plan above)';
  throw new ZkfError('NOT_ATTEMPTED', why);
}

async function uploadBackup(run: DeployRun, b: Loaded): Promise<void> {
  const upload = (h: HostSpec) =>
    run.step(h, 'upload-backup', async () => {
      const a = run.fleet.agent(h);
      let sent = 0;
      for (const f of b.manifest.files) {
        if ((await a.hasArtifact(f.sha256, { signal: run.signal })).present) continue;
        await a.upload(path.join(b.dir, f.name), f.sha256, f.size, f.name, () => undefined, { signal: run.signal });
        sent += f.size;
      }
      return { changed: sent > 0, description: sent ? `${(sent / 1e6).toFixed(1)} MB uploaded` : 'already there' };
    });
  await run.phase('upload', () => Promise.all(run.zk.map(upload)));
}

/** Stop, move aside and place, start: a failure says where each host's former data is and how to put it back. */
async function replaceData(run: DeployRun, b: Loaded): Promise<void> {
  const zk = zkHosts(run.e);
  const service = (action: 'STOP' | 'START') => (h: HostSpec) =>
    run.step(h, action.toLowerCase(), async () => {
      const r = (await run.fleet.agent(h).zooKeeperService(action, false, { signal: run.signal })).result!;
      return { changed: r.changed, description: r.description };
    });
  const place = (h: HostSpec) =>
    run.step(h, 'restore', () =>
      run.fleet
        .agent(h)
        .restoreData({ backupId: b.id, files: b.manifest.files, dryRun: false }, { signal: run.signal }),
    );
  try {
    await run.phase('stop', () => Promise.all(zk.map(service('STOP'))));
    await run.phase('restore', () => Promise.all(zk.map(place)));
    await run.phase('start', () => Promise.all(zk.map(service('START'))));
  } catch (err) {
    throw howToUndo(run, asZkfError(err));
  }
}

function howToUndo(run: DeployRun, err: ZkfError): ZkfError {
  const z = run.e.spec.zookeeper;
  const moved = run.zk
    .map((h) => `${h.name}: ${run.report(h).steps.find((s) => s.step === 'restore' && s.changed)?.description ?? '-'}`)
    .join('; ');
  const undo =
    `to put the former data back on a host: \`coordinator stop FILE --host H --force\`, then on the host ` +
    `\`mv ${z.dataDir} ${z.dataDir}.failed && mv ${z.dataDir}.zkfleet-aside-<time> ${z.dataDir}\` (the same for ` +
    `${z.dataLogDir}), then \`coordinator start FILE\`; or run the restore again to finish it`;
  return new ZkfError(err.code, `restore stopped: ${err.message}. Moved aside so far: ${moved}. ${undo}`, {
    host: err.host,
    details: err.details,
  });
}
