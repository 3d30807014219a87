import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import { killPoint } from '../../shared/fault';
import type { BackupChunk, BackupFile__Output as BackupFile, VerifyBackupReply } from '../../shared/generated/wire';
import type { ArtifactStore } from '../artifacts/store';
import { backupSet, hexZxid, zxidFiles, type ZxidFile } from './files';
import { installedVersionAt } from '../artifacts/install';
import type { StateFile, ZooKeeperState } from '../daemon/state';
import { readMyid } from '../zookeeper/process';
import { run } from '../daemon/run';

const CHUNK = 1 << 20;

async function configured(state: StateFile): Promise<ZooKeeperState> {
  const zk = (await state.read()).zookeeper;
  if (!zk) throw new ZkfError('NOT_FOUND', 'ZooKeeper is not configured on this host yet');
  return zk;
}

/** The installed ZooKeeper tree the server starts from (the link). */
const treeOf = (zk: ZooKeeperState) => path.dirname(path.dirname(zk.cfgFile));

interface Source extends ZxidFile {
  kind: 'snapshot' | 'log';
  path: string;
  /** What is sent: a log's preallocated zeros after its last transaction are left out. */
  end: number;
}

/**
 * The server's newest snapshot and the logs after it, as they are now. A snapshot still being written is
 * not taken: the newest one whose size holds still for a moment (an older one is as good: more log).
 */
async function chooseSources(zk: ZooKeeperState): Promise<Source[]> {
  const snapDir = path.join(zk.dataDir, 'version-2');
  const logDir = path.join(zk.dataLogDir, 'version-2');
  const snaps = zxidFiles(await fs.readdir(snapDir).catch(() => []), 'snapshot');
  while (snaps.length && !(await settled(path.join(snapDir, snaps.at(-1)!.name)))) snaps.pop();
  const set = backupSet(snaps, zxidFiles(await fs.readdir(logDir).catch(() => []), 'log'));
  if (!set) throw new ZkfError('NOT_FOUND', `no snapshot in ${snapDir} yet: the server has not written one`);
  const snapshot = path.join(snapDir, set.snapshot.name);
  const out: Source[] = [{ ...set.snapshot, kind: 'snapshot', path: snapshot, end: (await fs.stat(snapshot)).size }];
  for (const l of set.logs) {
    const p = path.join(logDir, l.name);
    out.push({ ...l, kind: 'log', path: p, end: await dataEnd(p) });
  }
  return out;
}

async function settled(file: string): Promise<boolean> {
  const a = await fs.stat(file).catch(() => undefined);
  await sleep(300);
  const b = await fs.stat(file).catch(() => undefined);
  return !!a && !!b && a.size > 0 && a.size === b.size;
}

/** Where a transaction log's data ends: ZooKeeper preallocates logs with zeros, which a restore does not need. */
async function dataEnd(file: string): Promise<number> {
  const fh = await fs.open(file, 'r');
  try {
    let pos = (await fh.stat()).size;
    const block = Buffer.alloc(64 << 10);
    while (pos > 0) {
      const n = Math.min(block.length, pos);
      await fh.read(block, 0, n, pos - n);
      for (let i = n - 1; i >= 0; i--) if (block[i] !== 0) return pos - n + i + 1;
      pos -= n;
    }
    return 0;
  } finally {
    await fh.close();
  }
}

/**
 * `coordinator backup` from this server: a header naming the files, then each file's bytes and digest.
 * The snapshot is immutable once written and the logs are only appended to, so what is read is consistent:
 * the snapshot and every transaction after it up to the moment each log was read.
 */
export async function streamBackup(
  state: StateFile,
  emit: (c: BackupChunk) => Promise<void>,
  signal: AbortSignal,
): Promise<undefined> {
  const zk = await configured(state);
  const sources = await chooseSources(zk);
  await emit({
    header: {
      zookeeperVersion: await installedVersionAt(treeOf(zk)),
      myid: await readMyid(zk.dataDir),
      snapshotZxid: hexZxid(sources[0].zxid),
      files: sources.map((s) => ({ name: s.name, kind: s.kind, size: s.end })),
    },
  });
  for (const s of sources) await sendFile(s, emit, signal);
  return undefined;
}

async function sendFile(s: Source, emit: (c: BackupChunk) => Promise<void>, signal: AbortSignal): Promise<void> {
  const hash = createHash('sha256');
  const fh = await fs.open(s.path, 'r');
  try {
    for (let pos = 0; pos < s.end;) {
      signal.throwIfAborted();
      const buf = Buffer.alloc(Math.min(CHUNK, s.end - pos));
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (!bytesRead) break;
      const data = buf.subarray(0, bytesRead);
      hash.update(data);
      pos += bytesRead;
      await emit({ file: s.name, data });
      if (pos > s.end / 2) killPoint('backup.mid');
    }
  } finally {
    await fh.close();
  }
  await emit({ file: s.name, sha256: hash.digest('hex'), size: s.end });
}

/**
 * Parse backup files (uploaded to the artifact store) with ZooKeeper's own SnapshotFormatter and
 * TxnLogToolkit from the installed tree, on the installed JDK: a file they cannot read fails here. The
 * files are removed from the store afterwards.
 */
export async function verifyBackup(
  state: StateFile,
  store: ArtifactStore,
  files: BackupFile[],
  signal: AbortSignal,
): Promise<VerifyBackupReply> {
  const zk = await configured(state);
  const snapshot = files.find((f) => f.kind === 'snapshot');
  if (!snapshot) throw new ZkfError('INVALID_ARGUMENT', 'a backup to verify has a snapshot');
  const tool = new ZkTool(zk, signal);
  try {
    const snap = await tool.run(
      'org.apache.zookeeper.server.SnapshotFormatter',
      await store.require(snapshot.sha256),
      snapshot.name,
    );
    const nodeCount = Number(/ZNode Details \(count=(\d+)\)/.exec(snap)?.[1] ?? NaN);
    if (!Number.isFinite(nodeCount)) throw new ZkfError('VERIFY_FAILED', `${snapshot.name}: no znodes read from it`);
    let last = BigInt(`0x${/\.([0-9a-f]+)$/.exec(snapshot.name)![1]}`);
    for (const f of files.filter((x) => x.kind === 'log')) {
      const out = await tool.run(
        'org.apache.zookeeper.server.persistence.TxnLogToolkit',
        await store.require(f.sha256),
        f.name,
      );
      for (const m of out.matchAll(/zxid 0x([0-9a-f]+)/g)) if (BigInt(`0x${m[1]}`) > last) last = BigInt(`0x${m[1]}`);
    }
    const version = await installedVersionAt(treeOf(zk));
    return { nodeCount, lastZxid: hexZxid(last), tool: `SnapshotFormatter and TxnLogToolkit of ZooKeeper ${version}` };
  } finally {
    await tool.close();
    for (const f of files) await store.remove(f.sha256);
  }
}

/** ZooKeeper's own classes run on the installed JDK, their logging silenced (the output is what is read). */
class ZkTool {
  private dir: string | undefined;
  constructor(
    private readonly zk: ZooKeeperState,
    private readonly signal: AbortSignal,
  ) {}

  async run(main: string, file: string, name: string): Promise<string> {
    this.dir ??= await fs.mkdtemp(path.join(os.tmpdir(), 'zkf-tool-'));
    const quiet = path.join(this.dir, 'quiet');
    await fs.writeFile(`${quiet}.xml`, '<configuration><root level="OFF"/></configuration>\n');
    await fs.writeFile(`${quiet}.properties`, 'log4j.rootLogger=OFF\n');
    const tree = treeOf(this.zk);
    const args = [
      `-Dlogback.configurationFile=${quiet}.xml`,
      `-Dlog4j.configuration=file:${quiet}.properties`,
      '-cp',
      `${tree}/lib/*:${tree}/*`,
      main,
      file,
    ];
    try {
      const out = await run(path.join(this.zk.jdkHome, 'bin', 'java'), args, {
        signal: this.signal,
        maxBuffer: 512 << 20,
        timeout: 600_000,
      });
      return out.stdout;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      const why = (e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' ');
      throw new ZkfError('VERIFY_FAILED', `${name}: ${main.split('.').pop()} could not read it: ${why}`);
    }
  }

  async close(): Promise<void> {
    if (this.dir) await fs.rm(this.dir, { recursive: true, force: true });
  }
}
