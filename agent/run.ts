import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** A program run to its end, as execFile does; a failure carries `code`, `signal`, `stdout`, `stderr`. */
export const run = promisify(execFile);

/** How a process ended, in words: "exit 1", "killed by SIGKILL". */
export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit ${code}`;
}

type RunError = Error & { stderr?: string; code?: number | string | null; signal?: NodeJS.Signals | null };

/**
 * Why `what` (the command as an operator would type it) failed under `run`, in one wording for every
 * command: "rndc reload zq.com failed (exit 1): rndc: connect failed …", "useradd … failed (killed by
 * SIGTERM, nothing on stderr)", or "… could not be run: spawn useradd ENOENT" when it never started.
 */
export function runFailure(what: string, err: unknown): string {
  const e = err as RunError;
  // A string code is the spawn's own failure (ENOENT: no such program), told by Node's message.
  if (typeof e.code === 'string') return `${what} could not be run: ${e.message}`;
  const how = exitReason(typeof e.code === 'number' ? e.code : null, e.signal ?? null);
  const said = e.stderr?.trim();
  return said ? `${what} failed (${how}): ${said}` : `${what} failed (${how}, nothing on stderr)`;
}
