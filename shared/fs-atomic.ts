import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { killPoint } from './fault';

/** A sibling temp name: same directory (same filesystem, so rename is atomic), never a digest-like name. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.zkf-tmp-${randomBytes(4).toString('hex')}`);
}

/**
 * Write a file so that a crash at any point leaves either the old or the new content, never a mix:
 * temp file in the same directory, fsync, rename, fsync the directory.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Buffer,
  options: { mode?: number; uid?: number; gid?: number } = {},
): Promise<void> {
  const tmp = tempPathFor(target);
  const fh = await fs.open(tmp, 'wx', options.mode ?? 0o644);
  try {
    await fh.writeFile(data);
    if (options.mode !== undefined) await fh.chmod(options.mode);
    if (options.uid !== undefined && options.gid !== undefined) await fh.chown(options.uid, options.gid);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  killPoint('atomic.before-rename');
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(path.dirname(target));
}

export async function syncDir(dir: string): Promise<void> {
  const dh = await fs.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Point `link` at `target` atomically: a new symlink under a temp name renamed over the old one. */
export async function flipSymlink(target: string, link: string): Promise<boolean> {
  const current = await fs.readlink(link).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    if (err.code === 'EINVAL') throw new Error(`${link} exists and is not a symlink; move it away first`);
    throw err;
  });
  if (current === target) return false;
  const tmp = tempPathFor(link);
  await fs.symlink(target, tmp);
  await fs.rename(tmp, link);
  await syncDir(path.dirname(link));
  return true;
}

/**
 * Leftovers a crash interrupted: temp files of atomic writes (never a file under its final name), and
 * entries whose names start with one of `prefixes` (unpack and swap directories). Returns their names.
 */
export async function sweepTemps(
  dir: string,
  prefixes: readonly string[] = [],
  live: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const temp = (n: string) => n.includes('.zkf-tmp-') || prefixes.some((p) => n.startsWith(p));
  const stale = names.filter((n) => temp(n) && !live.has(path.join(dir, n)));
  await Promise.all(stale.map((n) => fs.rm(path.join(dir, n), { recursive: true, force: true })));
  return stale;
}

export async function readFileOr(file: string, fallback: string | undefined = undefined): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
}
