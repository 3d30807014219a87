import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { syncDir } from '../../shared/fs-atomic';
import type { BackupChunk__Output, BackupHeader__Output } from '../../shared/generated/wire';
import type { AgentConnection } from '../fleet/agent-client';
import { zkHosts, type Ensemble, type HostSpec } from '../ensemble/file';
import { statusAll } from '../zookeeper/statuses';
import { Fleet } from '../fleet/fleet';
import type { Progress } from '../output/progress';
import { backupName, beyondKeep, pickSource } from './rules';
import { listBackups, MANIFEST, PARTIAL, type Manifest, type ManifestFile } from './store';

export interface BackupOptions {
  dir: string;
  keep: number;
  progress: Progress;
  signal: AbortSignal;
}

export interface BackupResult {
  name: string;
  path: string;
  manifest: Manifest;
  bytes: number;
  durationMs: number;
  removed: string[];
}

/**
 * `coordinator backup`: from one serving follower, the newest snapshot and the logs after it, streamed into
 * a `.partial-*` directory here with every file's digest checked against the agent's; then the stored files
 * are parsed by ZooKeeper's own tools on that host; only then does the backup get its name and manifest.
 * Older verified backups beyond `keep` are removed. A failure leaves no backup that looks valid.
 */
export async function takeBackup(e: Ensemble, o: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const fleet = await Fleet.open(e);
  const partial = path.join(o.dir, `${PARTIAL}${process.pid}-${started}`);
  try {
    const source = await chooseSource(fleet, e, o);
    const a = fleet.agent(source);
    await fs.mkdir(partial, { recursive: true, mode: 0o700 });
    const got = await receive(a, partial, o);
    const verified = await verify(a, partial, got.files, o);
    const manifest = manifestOf(e, source.name, got.header, got.files, verified);
    await fs.writeFile(path.join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    const name = backupName(e.spec.name, new Date(manifest.createdAt), manifest.lastZxid);
    const final = path.join(o.dir, name);
    await fs.rename(partial, final);
    await syncDir(o.dir);
    const removed = await applyRetention(e, o);
    const bytes = got.files.reduce((n, f) => n + f.size, 0);
    return { name, path: final, manifest, bytes, durationMs: Date.now() - started, removed };
  } finally {
    await fs.rm(partial, { recursive: true, force: true });
    fleet.close();
  }
}

async function chooseSource(fleet: Fleet, e: Ensemble, o: BackupOptions): Promise<HostSpec> {
  const servers = zkHosts(e);
  const statuses = await statusAll(fleet, servers, { signal: o.signal });
  const source = pickSource(servers, statuses);
  if ('refused' in source) throw new ZkfError('UNAVAILABLE', `cannot back up ${e.spec.name}: ${source.refused}`);
  o.progress.note(`backing up from ${source.name} (a serving follower)`);
  return source;
}

/** The stream into files here, each file's digest computed as it is written and compared with the agent's. */
async function receive(a: AgentConnection, dir: string, o: BackupOptions) {
  let header: BackupHeader__Output | undefined;
  const files: ManifestFile[] = [];
  let open: { name: string; fh: FileHandle; hash: Hash; size: number } | undefined;
  const onChunk = async (c: BackupChunk__Output) => {
    if (c.header) return void (header = c.header);
    if (!open || open.name !== c.file) open = await startFile(dir, c.file, a.name);
    if (c.data?.length) {
      open.hash.update(c.data);
      open.size += c.data.length;
      await open.fh.write(c.data);
    }
    if (!c.sha256) return;
    await open.fh.sync();
    await open.fh.close();
    const digest = open.hash.digest('hex');
    if (digest !== c.sha256 || open.size !== Number(c.size)) {
      const why = `${c.file} from ${a.name}: received sha256 ${digest}, the agent read ${c.sha256}`;
      throw new ZkfError('DIGEST_MISMATCH', why, { host: a.name });
    }
    const kind = header?.files.find((f) => f.name === c.file)?.kind === 'snapshot' ? 'snapshot' : 'log';
    files.push({ name: c.file, kind, size: open.size, sha256: digest });
    o.progress.note(`  ${c.file}: ${(open.size / 1e6).toFixed(1)} MB`);
    open = undefined;
  };
  await a.backupData(onChunk, { signal: o.signal });
  if (!header || files.length !== header.files.length) {
    throw new ZkfError('INTERNAL', `the backup stream from ${a.name} ended before every file was sent`);
  }
  return { header, files };
}

async function startFile(dir: string, name: string, from: string) {
  if (!/^(snapshot|log)\.[0-9a-f]+$/.test(name))
    throw new ZkfError('INTERNAL', `unexpected backup file "${name}" from ${from}`, { host: from });
  const fh = await fs.open(path.join(dir, name), 'wx', 0o600);
  return { name, fh, hash: createHash('sha256'), size: 0 };
}

/** The stored files go back to the source host's agent, which parses them with ZooKeeper's own tools. */
async function verify(a: AgentConnection, dir: string, files: ManifestFile[], o: BackupOptions) {
  for (const f of files) {
    if ((await a.hasArtifact(f.sha256, { signal: o.signal })).present) continue;
    o.progress.note(`  ${f.name}: sent back to ${a.name} to be read by ZooKeeper's tools`);
    await a.upload(path.join(dir, f.name), f.sha256, f.size, f.name, () => undefined, { signal: o.signal });
  }
  const r = await a.verifyBackup(files, { signal: o.signal });
  o.progress.note(`verified: ${r.nodeCount} znodes, up to zxid ${r.lastZxid} (${r.tool})`);
  return r;
}

function manifestOf(
  e: Ensemble,
  source: string,
  h: BackupHeader__Output,
  files: ManifestFile[],
  v: { nodeCount: number; lastZxid: string; tool: string },
): Manifest {
  const now = new Date().toISOString();
  return {
    format: 1,
    ensemble: e.spec.name,
    createdAt: now,
    source: { host: source, myid: h.myid },
    zookeeperVersion: h.zookeeperVersion,
    snapshotZxid: h.snapshotZxid,
    lastZxid: v.lastZxid,
    files,
    verified: { at: now, tool: v.tool, nodeCount: Number(v.nodeCount), on: source },
  };
}

async function applyRetention(e: Ensemble, o: BackupOptions): Promise<string[]> {
  const old = beyondKeep(await listBackups(o.dir, e.spec.name), o.keep);
  for (const b of old) await fs.rm(b.path, { recursive: true, force: true });
  if (old.length) o.progress.note(`removed ${old.length} older backup(s) beyond backup.keep=${o.keep}`);
  return old.map((b) => b.name);
}
