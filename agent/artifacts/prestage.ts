import { promises as fs } from 'node:fs';
import type { Logger } from '../../shared/logger';
import { roomOrGone } from '../../shared/room';
import { tarExitError, tarReading, type TarRun } from './tar-run';
import {
  EXTRACT_FLAGS,
  LIST_FLAGS,
  PRESTAGE_PREFIX,
  checkEntries,
  checkTop,
  parseListing,
  tarFailure,
  unpackTemp,
} from './unpack';

/**
 * Unpacking a tarball while it uploads: the bytes go to the artifact store and, at the same time, to GNU tar
 * extracting into a private temp directory beside where the tree will live. The tree is offered to the
 * install only when the upload's digest matched and every entry passed the same checks as an install's
 * (tar prints the same listing with -vv as it extracts); anything else removes the directory. GNU tar
 * refuses `..` names and writes links that point outside as placeholders until its end, so an archive the
 * checks refuse cannot write outside the temp directory while it is being read. A prestage that fails is
 * never an error of the upload: the install then unpacks from the store, as without it.
 */
// A prestaged tree the install did not take (the deploy stopped) is removed after this long.
const UNCLAIMED_MS = 10 * 60_000;

interface Prestaged {
  parentDir: string;
  tmp: string;
  top: string;
  timer: NodeJS.Timeout;
}

const ready = new Map<string, Prestaged>();
const inProgress = new Set<string>();

/** Temp directories of prestages that are running or waiting for their install: not leftovers. */
export function livePrestageDirs(): Set<string> {
  return new Set([...inProgress, ...[...ready.values()].map((p) => p.tmp)]);
}

/** Take a ready tree out of the registry (its unclaimed timer stops); the caller owns its directory. */
function claim(sha256: string, parentDir?: string): Prestaged | undefined {
  const p = ready.get(sha256);
  if (!p || (parentDir !== undefined && p.parentDir !== parentDir)) return undefined;
  ready.delete(sha256);
  clearTimeout(p.timer);
  return p;
}

/** Remove the tree unpacked during the upload of this digest (into this directory, when one is named). */
export async function discardPrestaged(sha256: string, parentDir?: string): Promise<void> {
  const p = claim(sha256, parentDir);
  if (p) await fs.rm(p.tmp, { recursive: true, force: true });
}

/** The tree unpacked during the upload of this digest into this directory, taken once. */
export function takePrestaged(sha256: string, parentDir: string): { tmp: string; top: string } | undefined {
  const p = claim(sha256, parentDir);
  return p && { tmp: p.tmp, top: p.top };
}

export class Prestage {
  private tar: TarRun | undefined;
  private tmp: string | undefined;
  private failed: Error | undefined;

  constructor(
    private readonly sha256: string,
    private readonly parentDir: string,
    private readonly name: string,
    private readonly log: Logger,
  ) {}

  /** Feed the next chunk; waits while tar is behind. A failure only disables the prestage. */
  async write(chunk: Buffer): Promise<void> {
    if (this.failed || !chunk.length) return;
    try {
      if (!this.tar) await this.start(chunk);
      const input = this.tar!.input;
      if (input.destroyed) return;
      if (!input.write(chunk)) await roomOrGone(input, 'close');
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private async start(head: Buffer): Promise<void> {
    this.tmp = await unpackTemp(this.parentDir, PRESTAGE_PREFIX);
    inProgress.add(this.tmp);
    this.tar = tarReading([...EXTRACT_FLAGS, ...LIST_FLAGS, '-C', this.tmp], head);
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    this.tar?.kill();
  }

  /** The upload's digest matched: offer the tree to the install if tar and the entry checks agree. */
  async finish(): Promise<void> {
    if (!this.tmp) return;
    this.tar!.input.end();
    const r = await this.tar!.done;
    try {
      if (this.failed) throw this.failed;
      if (r.code !== 0) throw tarFailure(tarExitError(r), this.name, this.parentDir);
      const top = checkEntries(parseListing(r.stdout), this.name);
      await checkTop(this.tmp, top);
      await discardPrestaged(this.sha256);
      const timer = setTimeout(() => void discardPrestaged(this.sha256), UNCLAIMED_MS).unref();
      ready.set(this.sha256, { parentDir: this.parentDir, tmp: this.tmp, top, timer });
    } catch (err) {
      this.log.info('unpacking during the upload gave up; the install unpacks from the store', {
        artifact: this.name,
        error: (err as Error).message,
      });
      await this.remove();
    } finally {
      inProgress.delete(this.tmp);
    }
  }

  /** The upload failed (a digest mismatch, a cancel): nothing of it stays. */
  async abort(): Promise<void> {
    if (!this.tmp) return;
    this.fail(new Error('the upload failed'));
    await this.tar?.done;
    await this.remove();
    inProgress.delete(this.tmp);
  }

  private async remove(): Promise<void> {
    await fs.rm(this.tmp!, { recursive: true, force: true });
  }
}
