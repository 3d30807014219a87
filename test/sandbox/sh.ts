import { execFile, spawn } from 'node:child_process';

/** Run a command (argv, no shell); reject with its stderr when it fails. */
export function sh(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; allowFail?: boolean } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { env: opts.env ?? process.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        if (err && !opts.allowFail)
          reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${String(stderr).trim() || err.message}`));
        else resolve({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

export async function has(cmd: string): Promise<boolean> {
  return (await sh('sh', ['-c', `command -v ${cmd}`], { allowFail: true })).code === 0;
}

/** Start a long-running process detached from us, output to a log file; returns its pid. */
export function daemon(cmd: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  const fs = require('node:fs') as typeof import('node:fs');
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env });
  fs.closeSync(fd);
  child.unref();
  return child.pid!;
}
