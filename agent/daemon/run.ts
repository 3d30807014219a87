import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** A program run to its end, as execFile does; a failure carries `code`, `signal`, `stdout`, `stderr`. */
export const run = promisify(execFile);

/** How a process ended, in words: "exit 1", "killed by SIGKILL". */
export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit ${code}`;
}

type RunError = Error & {
  stderr?: string;
  code?: number | string | null;
  signal?: NodeJS.Signals | null;
  /** Set when execFile itself killed the command: it ran past its `timeout`. */
  killed?: boolean;
};

/**
 * Why `what` (the command as an operator would type it) failed under `run`, in one wording for every
 * command: "rndc reload zq.com failed (exit 1): rndc: connect failed …", "useradd … failed (killed by
 * SIGTERM after its time limit, nothing on stderr)", "… could not be run: spawn useradd ENOENT" when it never
 * started, "… was cancelled" when the caller's signal stopped it.
 */
export function runFailure(what: string, err: unknown): string {
  const e = err as RunError;
  if (e.name === 'AbortError') return `${what} was cancelled`;
  // A string code is the spawn's own failure (ENOENT: no such program), told by Node's message.
  if (typeof e.code === 'string') return `${what} could not be run: ${e.message}`;
  const ended = exitReason(typeof e.code === 'number' ? e.code : null, e.signal ?? null);
  const how = e.killed ? `${ended} after its time limit` : ended;
  const said = e.stderr?.trim();
  return said ? `${what} failed (${how}): ${said}` : `${what} failed (${how}, nothing on stderr)`;
}
