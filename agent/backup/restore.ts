import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { killPoint } from '../../shared/fault';
import { readFileOr, syncDir, writeFileAtomic } from '../../shared/fs-atomic';
import type {
  BackupFile__Output as BackupFile,
  RestoreDataRequest__Output,
  StepResult,
} from '../../shared/generated/wire';
import type { ArtifactStore } from '../artifacts/store';
import type { Host } from '../daemon/host';
import type { StateFile, ZooKeeperState } from '../daemon/state';
import { ownTree } from '../zookeeper/user';
import { serverPid } from '../zookeeper/runners';
import { dataDirsOf, moveDataAside } from '../zookeeper/data-dirs';

/** In a restored dataDir: which backup it holds, and where the data it replaced went. */
const MARKER = '.zkfleet-restored.json';

/**
 * A backup in place of this server's data. The server must be stopped. dataDir and dataLogDir are moved
 * aside (renamed next to themselves, never deleted), fresh ones get the server's myid and the backup's
 * snapshot and logs, owned by the server's user. A re-run with the same backup leaves a restored host as
 * it is; every file must be on the host (uploaded) before anything moves.
 */
export async function restoreData(
  host: Host,
  state: StateFile,
  store: ArtifactStore,
  req: RestoreDataRequest__Output,
): Promise<StepResult> {
  const zk = (await state.read()).zookeeper;
  if (!zk) throw new ZkfError('NOT_FOUND', 'ZooKeeper is not configured on this host yet');
  if (await serverPid(zk)) throw new ZkfError('HOST_UNSUITABLE', 'the server is running: a restore needs it stopped');
  const done = await restoredWith(zk, req.files);
  if (done === req.backupId) {
    if (!req.dryRun) for (const f of req.files) await store.remove(f.sha256);
    return { changed: false, description: `already holds backup ${req.backupId}` };
  }
  for (const f of req.files) await store.require(f.sha256);
  if (req.dryRun) return { changed: true, description: `would move ${zk.dataDir} aside and place the backup` };
  const aside = await moveDataAside(zk, 'aside');
  killPoint('restore.moved-aside');
  await place(zk, store, req.files);
  await writeFileAtomic(path.join(zk.dataDir, MARKER), JSON.stringify({ backup: req.backupId, aside }) + '\n');
  for (const d of dataDirsOf(zk)) await ownTree(d, { name: zk.user, uid: zk.uid, gid: zk.gid });
  for (const f of req.files) await store.remove(f.sha256);
  host.log.info('restored', { backup: req.backupId, aside });
  const logs = req.files.filter((f) => f.kind === 'log').length;
  return {
    changed: true,
    description: `data moved aside to ${aside.join(', ')}; backup placed (snapshot, ${logs} logs)`,
  };
}

/**
 * The backup this dataDir holds untouched: its marker names it and the data files are still exactly the
 * backup's (a server that ran since wrote more, and a restore then moves that aside like any other data).
 */
async function restoredWith(zk: ZooKeeperState, files: BackupFile[]): Promise<string | undefined> {
  const text = await readFileOr(path.join(zk.dataDir, MARKER));
  let backup: string | undefined;
  try {
    backup = text ? (JSON.parse(text) as { backup: string }).backup : undefined;
  } catch {
    return undefined;
  }
  const list = async (d: string) => await fs.readdir(path.join(d, 'version-2')).catch(() => [] as string[]);
  const names = new Set(
    (await Promise.all(dataDirsOf(zk).map(list))).flat().filter((n) => /^(snapshot|log)\./.test(n)),
  );
  const same = names.size === files.length && files.every((f) => names.has(f.name));
  return same ? backup : undefined;
}

/** The server's own myid (the one configure wrote, from the agent's state: the old dataDir may be gone). */
async function place(zk: ZooKeeperState, store: ArtifactStore, files: BackupFile[]) {
  const snapDir = path.join(zk.dataDir, 'version-2');
  const logDir = path.join(zk.dataLogDir, 'version-2');
  for (const d of [snapDir, logDir]) await fs.mkdir(d, { recursive: true, mode: 0o750 });
  await writeFileAtomic(path.join(zk.dataDir, 'myid'), `${zk.myid}\n`, { mode: 0o644 });
  for (const f of files) {
    const dir = f.kind === 'snapshot' ? snapDir : logDir;
    await fs.copyFile(await store.require(f.sha256), path.join(dir, f.name));
  }
  for (const d of [snapDir, logDir]) await syncDir(d);
}
