import { spawn, type ChildProcess } from 'node:child_process';
import { ZkfError } from '../../shared/errors';
import { killGroup } from '../../shared/process-group';
import type { ExecEvent, ExecExit, ExecRequest__Output } from '../../shared/generated/wire';
import type { Host } from '../daemon/host';

export type ExecSpec = Omit<ExecRequest__Output, 'env'> & { env: Record<string, string>; caller: string };

/**
 * Run argv in its own process group (no shell unless asked). The group is killed when the caller goes
 * away (signal) or the timeout passes: SIGTERM, then SIGKILL half a second later. Every run is audited.
 */
export function runExec(host: Host, spec: ExecSpec, emit: (ev: ExecEvent) => void, signal: AbortSignal) {
  if (!host.config.capabilities.includes('exec')) {
    const name = host.config.name;
    throw new ZkfError('CAPABILITY_DISABLED', `exec is switched off on ${name} (capability "exec" not in its config)`);
  }
  if (!spec.argv.length || !spec.argv[0]) throw new ZkfError('INVALID_ARGUMENT', 'exec needs a command');
  const started = Date.now();
  return new Promise<ExecExit>((resolve) => {
    const child = spawnCommand(host, spec);
    let timedOut = false;
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) killGroup(child.pid);
    };
    const timer = spec.timeoutMs ? setTimeout(() => ((timedOut = true), kill()), spec.timeoutMs) : undefined;
    signal.addEventListener('abort', kill, { once: true });
    forwardOutput(child, host.config.exec.maxOutputBytes, emit);
    const finish = (code: number | null, sig: NodeJS.Signals | null, error?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      // Whatever the leader did, no member of its group outlives the call.
      killGroup(child.pid, 0);
      const exit: ExecExit = {
        code: error ? 127 : (code ?? -1),
        signal: sig ?? '',
        timedOut,
        durationMs: Date.now() - started,
      };
      if (error) emit({ stderr: Buffer.from(`${spec.argv[0]}: ${spawnErrorText(error)}\n`) });
      audit(host, spec, exit, signal.aborted);
      resolve(exit);
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('close', (code, sig) => finish(code, sig));
  });
}

function spawnCommand(host: Host, spec: ExecSpec): ChildProcess {
  const [cmd, ...args] = spec.shell ? ['/bin/sh', '-c', spec.argv.join(' ')] : spec.argv;
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    ...spec.env,
  };
  const cwd = spec.cwd ? host.path(spec.cwd) : host.config.root;
  return spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Output goes to the caller as it comes, up to the configured cap (the rest is counted, not sent). */
function forwardOutput(child: ChildProcess, cap: number, emit: (ev: ExecEvent) => void): void {
  let bytes = 0;
  const take = (key: 'stdout' | 'stderr') => (c: Buffer) => {
    bytes += c.length;
    if (bytes <= cap) emit({ [key]: c });
  };
  child.stdout!.on('data', take('stdout'));
  child.stderr!.on('data', take('stderr'));
}

function spawnErrorText(error: Error): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'command not found' : error.message;
}

function audit(host: Host, spec: ExecSpec, exit: ExecExit, cancelled: boolean): void {
  host.log.info('exec', {
    audit: true,
    caller: spec.caller,
    requestedBy: spec.requestedBy,
    argv: spec.argv,
    shell: spec.shell,
    cwd: spec.cwd,
    exit: exit.code,
    signal: exit.signal,
    timedOut: exit.timedOut,
    cancelled,
    durationMs: exit.durationMs,
  });
}
