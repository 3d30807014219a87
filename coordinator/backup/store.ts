import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { readFileOr } from '../../shared/fs-atomic';
import { sha256File } from '../../shared/hash';
import { byCodePoint } from '../../shared/names';

/**
 * Backups on the operator's side: one directory each, `<dir>/<ensemble>-<time>-<zxid>/`, holding the
 * snapshot, the logs and `manifest.json`. A backup being written lives in a `.partial-*` directory and
 * gets its name only once verified: a directory with a name and a manifest is a good backup.
 */
export const MANIFEST = 'manifest.json';
export const PARTIAL = '.partial-';

export interface ManifestFile {
  name: string;
  kind: 'snapshot' | 'log';
  size: number;
  sha256: string;
}

export interface Manifest {
  format: 1;
  ensemble: string;
  createdAt: string;
  source: { host: string; myid: number };
  zookeeperVersion: string;
  snapshotZxid: string;
  lastZxid: string;
  files: ManifestFile[];
  verified: { at: string; tool: string; nodeCount: number; on: string };
}

export interface BackupEntry {
  name: string;
  path: string;
  createdAt: string;
  lastZxid: string;
  bytes: number;
  verified: boolean;
  nodeCount?: number;
  /** Why it is not a usable backup (an interrupted one, a manifest that cannot be read). */
  problem?: string;
}

export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST);
  const text = await readFileOr(file);
  if (text === undefined) throw new ZkfError('NOT_FOUND', `${dir} is not a backup: it has no ${MANIFEST}`);
  try {
    return JSON.parse(text) as Manifest;
  } catch (err) {
    throw new ZkfError('CONFIG_INVALID', `${file} is not valid JSON`, { cause: err });
  }
}

/** Every backup under `dir`, newest first; an interrupted one is listed as such, never as valid. */
export async function listBackups(dir: string, ensemble: string): Promise<BackupEntry[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const out: BackupEntry[] = [];
  for (const name of names) {
    const p = path.join(dir, name);
    if (name.startsWith(PARTIAL)) {
      const st = await fs.stat(p);
      out.push({
        name,
        path: p,
        createdAt: st.mtime.toISOString(),
        lastZxid: '',
        bytes: 0,
        verified: false,
        problem: 'interrupted',
      });
      continue;
    }
    if (!name.startsWith(`${ensemble}-`)) continue;
    const m = await readManifest(p).catch((err: Error) => err);
    if (m instanceof Error) {
      out.push({ name, path: p, createdAt: '', lastZxid: '', bytes: 0, verified: false, problem: m.message });
      continue;
    }
    const bytes = m.files.reduce((n, f) => n + f.size, 0);
    out.push({
      name,
      path: p,
      createdAt: m.createdAt,
      lastZxid: m.lastZxid,
      bytes,
      verified: !!m.verified,
      nodeCount: m.verified?.nodeCount,
    });
  }
  return out.sort((a, b) => byCodePoint(b.createdAt, a.createdAt));
}

/** Every file of a backup against its manifest (size and sha256); the first that differs is named. */
export async function checkFiles(dir: string, m: Manifest): Promise<void> {
  if (!m.verified) throw new ZkfError('VERIFY_FAILED', `${dir} was never verified: it is not a usable backup`);
  for (const f of m.files) {
    const file = path.join(dir, f.name);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st) throw new ZkfError('NOT_FOUND', `${file} is missing from the backup`);
    const digest = await sha256File(file);
    if (st.size !== f.size || digest !== f.sha256) {
      const why = `sha256 ${digest} (${st.size} bytes), the manifest says ${f.sha256} (${f.size} bytes)`;
      throw new ZkfError('DIGEST_MISMATCH', `${file} is damaged: ${why}`, {
        details: { file, expected: f.sha256, received: digest },
      });
    }
  }
}

/** A backup named on the command line: a path, or a name under the ensemble's backup directory. */
export function resolveBackup(backupDir: string, from: string): string {
  return from.includes('/') ? path.resolve(from) : path.join(backupDir, from);
}
