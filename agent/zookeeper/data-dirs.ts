import { promises as fs } from 'node:fs';
import path from 'node:path';
import { syncDir } from '../../shared/fs-atomic';
import type { ZooKeeperState } from '../daemon/state';

/** The server's data directories (one when dataLogDir is dataDir). */
export function dataDirsOf(zk: ZooKeeperState): string[] {
  return [...new Set([zk.dataDir, zk.dataLogDir])];
}

/**
 * dataDir and dataLogDir renamed next to themselves as `<dir>.zkfleet-<why>-<UTC time>`: never deleted, so an
 * operator can always put them back. A directory that is not there is skipped. Returns the new names.
 */
export async function moveDataAside(zk: ZooKeeperState, why: 'aside' | 'removed'): Promise<string[]> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
  const moved: string[] = [];
  for (const d of dataDirsOf(zk)) {
    if (!(await fs.stat(d).catch(() => undefined))) continue;
    const to = `${d}.zkfleet-${why}-${stamp}`;
    await fs.rename(d, to);
    await syncDir(path.dirname(d));
    moved.push(to);
  }
  return moved;
}
