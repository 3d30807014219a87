import { spawn } from 'node:child_process';
import type { ExecExit } from '../shared/proto-types/zkfleet/v1/ExecExit';
import { ZkfError } from '../shared/errors';
import type { Host } from './host';

export interface ExecSpec {
  argv: string[];
  shell: boolean;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  requestedBy: string;
  caller: string;
}

export interface ExecSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/**
 * Run argv in its own process group (no shell unless asked). The group is killed when the caller goes
 * away (signal) or the timeout passes: SIGTERM, then SIGKILL half a second later. Every run is audited.
 */
export function runExec(host: Host, spec: ExecSpec, sink: ExecSink, signal: AbortSignal): Promise<ExecExit> {
  if (!host.config.capabilities.includes('exec')) {
    throw new ZkfError(
      'CAPABILITY_DISABLED',
      `exec is switched off on ${host.config.name} (capability "exec" not in its config)`,
    );
  }
  if (!spec.argv.length || !spec.argv[0]) throw new ZkfError('INVALID_ARGUMENT', 'exec needs a command');
  const [cmd, ...args] = spec.shell ? ['/bin/sh', '-c', spec.argv.join(' ')] : spec.argv;
  const started = Date.now();
  return new Promise<ExecExit>((resolve) => {
    let timedOut = false;
    let outBytes = 0;
    const child = spawn(cmd, args, {
      cwd: spec.cwd ? host.path(spec.cwd) : host.config.root,
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: process.env.HOME ?? '/root',
        LANG: 'C.UTF-8',
        ...spec.env,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = () => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const hard = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 500);
      hard.unref();
    };
    const timer = spec.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup();
        }, spec.timeoutMs)
      : undefined;
    const onAbort = () => killGroup();
    signal.addEventListener('abort', onAbort, { once: true });
    const cap = host.config.exec.maxOutputBytes;
    const forward = (emit: (c: Buffer) => void) => (c: Buffer) => {
      outBytes += c.length;
      if (outBytes <= cap) emit(c);
    };
    child.stdout!.on(
      'data',
      forward((c) => sink.stdout(c)),
    );
    child.stderr!.on(
      'data',
      forward((c) => sink.stderr(c)),
    );
    const finish = (code: number | null, sig: NodeJS.Signals | null, error?: Error) => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Whatever the leader did, no member of its group outlives the call.
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* none left */
        }
      }
      const exit: ExecExit = {
        code: error ? 127 : (code ?? -1),
        signal: sig ?? '',
        timedOut,
        durationMs: Date.now() - started,
      };
      if (error)
        sink.stderr(
          Buffer.from(
            `${cmd}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'command not found' : error.message}\n`,
          ),
        );
      host.log.info('exec', {
        audit: true,
        caller: spec.caller,
        requestedBy: spec.requestedBy,
        argv: spec.argv,
        shell: spec.shell,
        cwd: spec.cwd,
        exit: exit.code,
        signal: exit.signal,
        timedOut,
        cancelled: signal.aborted,
        durationMs: exit.durationMs,
      });
      resolve(exit);
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('close', (code, sig) => finish(code, sig));
  });
}
