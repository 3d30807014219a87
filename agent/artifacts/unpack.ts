import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { sweepTemps } from '../../shared/fs-atomic';
import { tarOverFile } from './tar-run';

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
  const stdout = await tarOverFile(archive, ['--list', ...LIST_FLAGS], signal).catch(
    (err: { stderr?: string; message: string }) => {
      throw new ZkfError(
        'UNSAFE_ARCHIVE',
        `cannot read ${path.basename(archive)} as a tarball: ${(err.stderr ?? err.message).trim().split('\n')[0]}`,
        { cause: err },
      );
    },
  );
  return parseListing(stdout);
}

/** GNU tar's long listing, with names C-quoted: what `--list` and an extraction with `-vv` print. */
export const LIST_FLAGS = ['--verbose', '--verbose', '--quoting-style=c', '--numeric-owner'];

export function parseListing(stdout: string): ListedEntry[] {
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

/** The archive's single top-level directory, when every entry is safe; else why it is refused. */
export function checkEntries(entries: ListedEntry[], archiveName: string): string {
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
      `refused ${archiveName}: ${refusals.slice(0, 3).join('; ')}` +
        `${refusals.length > 3 ? `; and ${refusals.length - 3} more` : ''}. Nothing was installed.`,
    );
  }
  if (tops.size !== 1) {
    throw new ZkfError(
      'UNSAFE_ARCHIVE',
      `expected one top-level directory in the archive, found ${tops.size ? [...tops].slice(0, 5).join(', ') : 'none'}`,
    );
  }
  return [...tops][0];
}

/** The temp directory of an install's unpack. */
const UNPACK_PREFIX = '.zkf-unpack-';

/** A new private temp directory for an unpack, inside the directory the tree will live in. */
export async function unpackTemp(parentDir: string, prefix = UNPACK_PREFIX): Promise<string> {
  await fs.mkdir(parentDir, { recursive: true });
  const tmp = path.join(parentDir, `${prefix}${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmp, { mode: 0o700 });
  return tmp;
}

/** The top-level entry after extraction must be a directory (not a file or a link). */
export async function checkTop(tmp: string, top: string): Promise<void> {
  const st = await fs.lstat(path.join(tmp, top));
  if (!st.isDirectory())
    throw new ZkfError('UNSAFE_ARCHIVE', `the archive's top-level entry "${top}" is not a directory`);
}

/** What tar said when it failed, as our error: a full disk is DISK_FULL, the rest UNSAFE_ARCHIVE. */
export function tarFailure(err: unknown, archiveName: string, parentDir: string): ZkfError {
  if (err instanceof ZkfError) return err;
  const te = err as { stderr?: string; message?: string };
  if (/No space left/.test(te.stderr ?? te.message ?? ''))
    return new ZkfError('DISK_FULL', `disk full while unpacking ${archiveName} under ${parentDir}`, { cause: err });
  return new ZkfError(
    'UNSAFE_ARCHIVE',
    `cannot unpack ${archiveName}: ${(te.stderr ?? te.message ?? String(err)).trim().split('\n')[0]}`,
    { cause: err },
  );
}

export const EXTRACT_FLAGS = ['--extract', '--no-same-owner', '--delay-directory-restore'];

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
  const top = checkEntries(await listArchive(archive, signal), path.basename(archive));
  const tmp = await unpackTemp(parentDir);
  try {
    await tarOverFile(archive, [...EXTRACT_FLAGS, '-C', tmp], signal);
    await checkTop(tmp, top);
    return { tmp, top };
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw tarFailure(err, path.basename(archive), parentDir);
  }
}

/** The temp directory of a tarball unpacked while it uploads (agent/artifacts/prestage.ts). */
export const PRESTAGE_PREFIX = '.zkf-prestage-';

/** Leftovers of an unpack, a prestage or a swap that a crash interrupted; `live` ones are in use. */
export function sweepLeftovers(parentDir: string, live: ReadonlySet<string> = new Set()): Promise<string[]> {
  return sweepTemps(parentDir, [UNPACK_PREFIX, '.zkf-old-', PRESTAGE_PREFIX], live);
}
