import { spawn } from 'node:child_process';
import { createReadStream, promises as fs } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** A GNU tar reading an archive from its standard input. */
export interface TarRun {
  /** Where the archive's bytes go, as they come. */
  input: Writable;
  /** Stop it: tar is killed and the input destroyed (a writer waiting for room is let go). */
  kill(): void;
  /** tar's end: its exit code (null when killed; 0 is the only success), what it printed, the feed's first error. */
  done: Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }>;
}

const isGzip = (head: Buffer) => head[0] === 0x1f && head[1] === 0x8b;

/** tar's flag for the compression these first bytes announce (on a pipe it cannot tell by itself). */
function compressionFlag(head: Buffer): string[] {
  const starts = (...b: number[]) => b.every((x, i) => head[i] === x);
  if (starts(0x42, 0x5a, 0x68)) return ['--bzip2'];
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return ['--xz'];
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return ['--zstd'];
  return [];
}

/**
 * GNU tar with `args`, reading the archive that starts with `head` from its standard input. A gzip archive
 * (the JDK's and ZooKeeper's) is inflated in front of tar by Node's zlib — Chromium's, which inflates a JDK
 * in about half of gzip's CPU time here, on the thread pool rather than the event loop; tar then has nothing
 * to decompress. Other compressions are tar's own.
 */
export function tarReading(args: string[], head: Buffer, signal?: AbortSignal): TarRun {
  const gzip = isGzip(head);
  const tar = spawn('tar', [...args, ...(gzip ? [] : compressionFlag(head)), '-f', '-'], { stdio: 'pipe', signal });
  // Large pieces: at zlib's 16 KiB default, piping them to tar cost more CPU than the inflating (JDK: 1.3 s vs 0.7 s).
  const input: Writable = gzip ? createGunzip({ chunkSize: 256 << 10 }) : tar.stdin;
  let stdout = '';
  let stderr = '';
  let error: Error | undefined;
  const kill = () => {
    tar.kill('SIGKILL');
    input.destroy();
  };
  const failed = (err: Error) => {
    error ??= err;
    kill();
  };
  tar.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  tar.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  tar.stdin.on('error', failed);
  if (gzip) input.on('error', failed).pipe(tar.stdin);
  const done = new Promise<number | null>((resolve) => {
    tar.on('error', (err) => {
      failed(err);
      resolve(null);
    });
    tar.on('close', resolve);
  }).then((code) => ({ code, stdout, stderr, error }));
  return { input, kill, done };
}

/** tar with `args` over an archive file; resolves with what it printed, rejects like execFile (with stderr). */
export async function tarOverFile(archive: string, args: string[], signal?: AbortSignal): Promise<string> {
  const head = Buffer.alloc(6);
  const fh = await fs.open(archive);
  await fh.read(head, 0, head.length, 0).finally(() => fh.close());
  const run = tarReading(args, head, signal);
  const fed = pipeline(createReadStream(archive, { highWaterMark: 1 << 20 }), run.input).then(
    () => undefined,
    (err: Error) => {
      run.kill();
      return err;
    },
  );
  const [r, feedError] = await Promise.all([run.done, fed]);
  signal?.throwIfAborted();
  // tar's exit decides: one that ended well read a whole archive, whatever the feed did after it stopped reading.
  if (r.code === 0) return r.stdout;
  throw tarExitError(r, feedError);
}

/** A tar that did not end well, as execFile reports one (`stderr` holds why, for tarFailure). */
export function tarExitError(r: Awaited<TarRun['done']>, feedError?: Error): Error & { stderr: string } {
  // Killed by us: the feed's error (a corrupt gzip) says why; else tar's own words.
  const fault = r.error ?? feedError;
  const why = (r.code === null && fault?.message) || r.stderr.trim() || fault?.message || `tar exited ${r.code}`;
  return Object.assign(new Error(why), { stderr: why });
}
