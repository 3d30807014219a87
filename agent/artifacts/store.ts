import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { sweepTemps, syncDir, tempPathFor } from '../../shared/fs-atomic';
import { killPoint } from '../../shared/fault';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed artifact store: `<stateDir>/artifacts/<sha256>`. A file appears under its digest name
 * only after the digest was verified (temp file + rename), so a crash or a mismatch leaves nothing there.
 */
export class ArtifactStore {
  readonly dir: string;
  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'artifacts');
  }

  static checkDigest(sha256: string): string {
    const d = sha256.toLowerCase();
    if (!SHA256.test(d)) throw new ZkfError('INVALID_ARGUMENT', `"${sha256}" is not a sha256 hex digest`);
    return d;
  }

  pathOf(sha256: string): string {
    return path.join(this.dir, ArtifactStore.checkDigest(sha256));
  }

  async has(sha256: string): Promise<{ present: boolean; size: number }> {
    const st = await fs.stat(this.pathOf(sha256)).catch(() => undefined);
    return { present: !!st, size: st?.size ?? 0 };
  }

  async require(sha256: string): Promise<string> {
    const p = this.pathOf(sha256);
    if (!(await fs.stat(p).catch(() => undefined))) {
      throw new ZkfError('ARTIFACT_MISSING', `artifact ${sha256.slice(0, 12)}… is not on this host; upload it first`);
    }
    return p;
  }

  /** Take chunks from an upload; verify size and digest; keep the file only if both match. */
  async put(
    expected: { sha256: string; size: number },
    chunks: AsyncIterable<Buffer>,
  ): Promise<{ changed: boolean; size: number }> {
    const digest = ArtifactStore.checkDigest(expected.sha256);
    const final = this.pathOf(digest);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = tempPathFor(final);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        await fh.write(chunk);
        if (size > expected.size / 2) killPoint('upload.mid');
      }
      const actual = hash.digest('hex');
      if (actual !== digest || (expected.size && size !== expected.size)) {
        throw new ZkfError(
          'DIGEST_MISMATCH',
          `upload does not match: expected sha256 ${digest} (${expected.size} bytes), ` +
            `received ${actual} (${size} bytes); nothing was kept`,
          { details: { expectedSha256: digest, expectedSize: expected.size, actualSha256: actual, actualSize: size } },
        );
      }
      await fh.sync();
      await fh.close();
      if (await fs.stat(final).catch(() => undefined)) {
        await fs.rm(tmp, { force: true });
        return { changed: false, size };
      }
      await fs.rename(tmp, final);
      await syncDir(this.dir);
      return { changed: true, size };
    } catch (err) {
      await fh.close().catch(() => undefined);
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  /** Forget an artifact that served its purpose (a backup's files after a verify or a restore). */
  async remove(sha256: string): Promise<void> {
    await fs.rm(this.pathOf(sha256), { force: true });
  }

  /** Leftover temp files from a crash mid-upload are removed at start. */
  async sweep(): Promise<number> {
    return (await sweepTemps(this.dir)).length;
  }
}
