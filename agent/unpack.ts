import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
import { ZkfError } from '../shared/errors';
import { sweepTemps } from '../shared/fs-atomic';

/**
 * Why an entry is refused, or undefined when it is safe: absolute names, `..` components, and links whose
 * target resolves outside the extraction root are never written.
 */
export function unsafeEntry(name: string, type: string, linkpath: string | undefined): string | undefined {
  if (name.startsWith('/')) return `absolute path "${name}"`;
  if (name.split('/').includes('..')) return `path "${name}" contains ..`;
  if (type === 'SymbolicLink' || type === 'Link') {
    const target = linkpath ?? '';
    if (target.startsWith('/'))
      return `${type === 'Link' ? 'hard link' : 'symlink'} "${name}" points to absolute path "${target}"`;
    // A symlink is relative to its own directory; a hard link's target is relative to the archive root.
    const base = type === 'SymbolicLink' ? path.posix.dirname(name) : '.';
    const resolved = path.posix.normalize(path.posix.join(base, target));
    if (resolved === '..' || resolved.startsWith('../'))
      return `${type === 'Link' ? 'hard link' : 'symlink'} "${name}" -> "${target}" points outside the archive`;
  }
  return undefined;
}

/** C-style escapes of `tar --quoting-style=c` back to the name. */
function unquoteC(q: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = q[++i];
    if (/[0-7]/.test(n)) {
      const oct = q.slice(i, i + 3);
      bytes.push(parseInt(oct, 8));
      i += 2;
      continue;
    }
    bytes.push(({ n: 10, t: 9, r: 13, f: 12, v: 11, b: 8, a: 7 } as Record<string, number>)[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

const LISTING = /^(\S)\S*\s+\S+\s+\S+\s+\S+\s+\S+\s+"((?:[^"\\]|\\.)*)"(?:\s+(?:->|link to)\s+"((?:[^"\\]|\\.)*)")?$/;
const TYPES: Record<string, string> = { '-': 'File', d: 'Directory', l: 'SymbolicLink', h: 'Link' };

export interface ListedEntry {
  name: string;
  type: string;
  linkpath?: string;
}

/** Every entry of an archive, as GNU tar reads it (names C-quoted, so any byte in a name is unambiguous). */
export async function listArchive(archive: string, signal?: AbortSignal): Promise<ListedEntry[]> {
  const { stdout } = await run('tar', ['--list', '--verbose', '--quoting-style=c', '--numeric-owner', '-f', archive], {
    maxBuffer: 256 << 20,
    signal,
  }).catch((err: { stderr?: string; message: string }) => {
    throw new ZkfError(
      'UNSAFE_ARCHIVE',
      `cannot read ${path.basename(archive)} as a tarball: ${(err.stderr ?? err.message).trim().split('\n')[0]}`,
      { cause: err },
    );
  });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = LISTING.exec(line);
      if (!m) throw new ZkfError('UNSAFE_ARCHIVE', `cannot parse the archive listing line: ${line.slice(0, 200)}`);
      return {
        name: unquoteC(m[2]),
        type: TYPES[m[1]] ?? `special (${m[1]})`,
        linkpath: m[3] === undefined ? undefined : unquoteC(m[3]),
      };
    });
}

/**
 * Extract a tarball into a temp directory inside `parentDir` and return the temp dir and the archive's
 * single top-level directory. Every entry is checked first (the archive is content-addressed and verified,
 * so the listing and the extraction read the same bytes); GNU tar then extracts natively. On any refusal or
 * error the temp directory is removed: nothing is left.
 */
export async function extractToTemp(
  archive: string,
  parentDir: string,
  signal?: AbortSignal,
): Promise<{ tmp: string; top: string }> {
  const entries = await listArchive(archive, signal);
  const refusals: string[] = [];
  const tops = new Set<string>();
  for (const e of entries) {
    const why = e.type.startsWith('special')
      ? `"${e.name}" is a device or fifo`
      : unsafeEntry(e.name, e.type, e.linkpath);
    if (why) refusals.push(why);
    const first = e.name.replace(/^\.\//, '').split('/')[0];
    if (first) tops.add(first);
  }
  if (refusals.length) {
    throw new ZkfError(
      'UNSAFE_ARCHIVE',
      `refused ${path.basename(archive)}: ${refusals.slice(0, 3).join('; ')}` +
        `${refusals.length > 3 ? `; and ${refusals.length - 3} more` : ''}. Nothing was installed.`,
    );
  }
  if (tops.size !== 1) {
    throw new ZkfError(
      'UNSAFE_ARCHIVE',
      `expected one top-level directory in the archive, found ${tops.size ? [...tops].slice(0, 5).join(', ') : 'none'}`,
    );
  }
  const top = [...tops][0];
  await fs.mkdir(parentDir, { recursive: true });
  const tmp = path.join(parentDir, `.zkf-unpack-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmp, { mode: 0o755 });
  try {
    await run('tar', ['--extract', '--no-same-owner', '--delay-directory-restore', '-f', archive, '-C', tmp], {
      maxBuffer: 16 << 20,
      signal,
    });
    const st = await fs.lstat(path.join(tmp, top));
    if (!st.isDirectory())
      throw new ZkfError('UNSAFE_ARCHIVE', `the archive's top-level entry "${top}" is not a directory`);
    return { tmp, top };
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    if (err instanceof ZkfError) throw err;
    const te = err as { stderr?: string; message?: string };
    if (/No space left/.test(te.stderr ?? ''))
      throw new ZkfError('DISK_FULL', `disk full while unpacking ${path.basename(archive)} under ${parentDir}`, {
        cause: err,
      });
    throw new ZkfError(
      'UNSAFE_ARCHIVE',
      `cannot unpack ${path.basename(archive)}: ${(te.stderr ?? te.message ?? String(err)).trim().split('\n')[0]}`,
      { cause: err },
    );
  }
}

/** Leftovers of an unpack or swap that a crash interrupted. */
export function sweepLeftovers(parentDir: string): Promise<string[]> {
  return sweepTemps(parentDir, ['.zkf-unpack-', '.zkf-old-']);
}
