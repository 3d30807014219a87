import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';

export interface SshOptions {
  user?: string;
  port?: number;
  identityFile?: string;
  configFile?: string;
  connectTimeoutS?: number;
}

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One argument for the remote shell, single-quoted. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A host reached with the system's `ssh`: the operator's ssh config, keys, agent and known_hosts apply, and
 * host key checking is never turned off here (an unknown or changed host key fails the run, as it should).
 * BatchMode means no prompt can hang a run; one multiplexed connection serves all of a host's commands.
 */
export class SshTarget {
  private readonly control: string;

  constructor(
    readonly host: string,
    readonly name: string,
    private readonly o: SshOptions,
  ) {
    this.control = path.join(tmpdir(), `zkf-ssh-${process.pid}-${name}`);
  }

  private args(): string[] {
    const a = ['-o', 'BatchMode=yes', '-o', `ConnectTimeout=${this.o.connectTimeoutS ?? 10}`];
    a.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${this.control}`, '-o', 'ControlPersist=60');
    if (this.o.configFile) a.push('-F', this.o.configFile);
    if (this.o.port) a.push('-p', String(this.o.port));
    if (this.o.identityFile) a.push('-i', this.o.identityFile);
    if (this.o.user) a.push('-l', this.o.user);
    return a;
  }

  /** Run a POSIX shell script on the host; `input` (a string or a file) goes to its stdin. */
  run(script: string, o: { input?: string | { file: string }; signal?: AbortSignal; timeoutMs?: number } = {}) {
    return new Promise<SshResult>((resolve, reject) => {
      const child = spawn('ssh', [...this.args(), '--', this.host, `sh -c ${shq(script)}`], {
        stdio: ['pipe', 'pipe', 'pipe'],
        signal: o.signal,
        timeout: o.timeoutMs ?? 120_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('error', (err) => reject(this.error(err)));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      if (o.input === undefined) child.stdin.end();
      else if (typeof o.input === 'string') child.stdin.end(o.input);
      else createReadStream(o.input.file).pipe(child.stdin);
    });
  }

  /** Like run, but a non-zero exit is an error naming the step and the host's own words. */
  async must(what: string, script: string, o: Parameters<SshTarget['run']>[1] = {}): Promise<string> {
    const r = await this.run(script, o);
    if (r.code === 255)
      throw new ZkfError('UNAVAILABLE', `ssh to ${this.host} failed: ${lastLine(r.stderr)}`, { host: this.name });
    if (r.code !== 0) {
      throw new ZkfError('COMMAND_FAILED', `${what} failed on ${this.name} (exit ${r.code}): ${lastLine(r.stderr)}`, {
        host: this.name,
      });
    }
    return r.stdout;
  }

  private error(err: Error): ZkfError {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return new ZkfError('NOT_FOUND', 'ssh is not installed on this machine');
    if (err.name === 'AbortError') return new ZkfError('CANCELLED', 'cancelled', { host: this.name });
    return new ZkfError('UNAVAILABLE', `ssh to ${this.host}: ${err.message}`, { host: this.name });
  }

  /** End the multiplexed connection. */
  close(): void {
    spawn('ssh', [...this.args(), '-O', 'exit', this.host], { stdio: 'ignore' }).on('error', () => undefined);
  }
}

function lastLine(s: string): string {
  return (
    s
      .trim()
      .split('\n')
      .filter((l) => !/^Warning: Permanently added/.test(l))
      .at(-1) ?? 'no message'
  );
}
