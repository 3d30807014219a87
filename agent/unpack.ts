import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { ZkfError } from '../shared/errors';

/**
 * Why an entry is refused, or undefined when it is safe: absolute names, `..` components, and links whose
 * target resolves outside the extraction root are never written.
 */
export function unsafeEntry(name: string, type: string, linkpath: string | undefined): string | undefined {
  if (name.startsWith('/')) return `absolute path "${name}"`;
  if (name.split('/').includes('..')) return `path "${name}" contains ..`;
  if (type === 'SymbolicLink' || type === 'Link') {
    const target = linkpath ?? '';
    if (target.startsWith('/')) return `${type === 'Link' ? 'hard link' : 'symlink'} "${name}" points to absolute path "${target}"`;
    // A symlink is relative to its own directory; a hard link's target is relative to the archive root.
    const base = type === 'SymbolicLink' ? path.posix.dirname(name) : '.';
    const resolved = path.posix.normalize(path.posix.join(base, target));
    if (resolved === '..' || resolved.startsWith('../')) return `${type === 'Link' ? 'hard link' : 'symlink'} "${name}" -> "${target}" points outside the archive`;
  }
  return undefined;
}

/**
 * Extract a tarball into a temp directory inside `parentDir` and return the temp dir and the archive's
 * single top-level directory. On any refusal or error the temp directory is removed: nothing is left.
 */
export async function extractToTemp(archive: string, parentDir: string, signal?: AbortSignal): Promise<{ tmp: string; top: string }> {
  await fs.mkdir(parentDir, { recursive: true });
  const tmp = path.join(parentDir, `.zkf-unpack-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmp, { mode: 0o755 });
  const refusals: string[] = [];
  const tops = new Set<string>();
  try {
    await tar.x({
      file: archive,
      cwd: tmp,
      strict: true,
      preserveOwner: false,
      noMtime: false,
      filter: (name, entry) => {
        const e = entry as tar.ReadEntry;
        const why = unsafeEntry(name, e.type, e.linkpath);
        if (why) {
          refusals.push(why);
          return false;
        }
        const first = name.replace(/^\.\//, '').split('/')[0];
        if (first) tops.add(first);
        if (signal?.aborted) throw new ZkfError('CANCELLED', 'unpack cancelled');
        return true;
      },
    });
    if (refusals.length) {
      throw new ZkfError('UNSAFE_ARCHIVE', `refused ${path.basename(archive)}: ${refusals.slice(0, 3).join('; ')}${refusals.length > 3 ? `; and ${refusals.length - 3} more` : ''}. Nothing was installed.`);
    }
    if (tops.size !== 1) {
      throw new ZkfError('UNSAFE_ARCHIVE', `expected one top-level directory in the archive, found ${tops.size ? [...tops].slice(0, 5).join(', ') : 'none'}`);
    }
    const top = [...tops][0];
    const st = await fs.lstat(path.join(tmp, top));
    if (!st.isDirectory()) throw new ZkfError('UNSAFE_ARCHIVE', `the archive's top-level entry "${top}" is not a directory`);
    return { tmp, top };
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    if (err instanceof ZkfError) throw err;
    const te = err as { code?: string; message?: string };
    if (te.code === 'ENOSPC') throw err;
    throw new ZkfError('UNSAFE_ARCHIVE', `cannot unpack ${path.basename(archive)}: ${te.message ?? err}`, { cause: err });
  }
}

/** Leftovers of an unpack or swap that a crash interrupted. */
export async function sweepLeftovers(parentDir: string): Promise<string[]> {
  const names = await fs.readdir(parentDir).catch(() => [] as string[]);
  const stale = names.filter((n) => n.startsWith('.zkf-unpack-') || n.startsWith('.zkf-old-') || n.includes('.zkf-tmp-'));
  await Promise.all(stale.map((n) => fs.rm(path.join(parentDir, n), { recursive: true, force: true })));
  return stale;
}
