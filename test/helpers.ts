import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { DeployResult } from '../coordinator/deploy';
import { issueCertificate, pkiPaths, type Role } from '../shared/pki/pki';
import { sandboxDown, sandboxUp, type SandboxOptions, type SandboxState } from './sandbox/sandbox';

export const REPO = path.resolve(__dirname, '../..');
// The command as users run it: the bundled CLI behind the launcher package.json's bin names.
export const COORDINATOR = path.join(REPO, 'dist/coordinator-cli.js');
export const AGENT = path.join(REPO, 'dist/agent/main.js');

export function tmpDir(t: TestContext, name = 'zkf-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), name));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the coordinator CLI as an operator would. */
/**
 * `coordinator deploy FILE --json ARGS`, its result parsed. `why` is what an assertion on it should print: with
 * --json the error is in the result, not on stderr, so the progress alone would not say what failed.
 */
export async function runDeploy(file: string, args: string[] = [], timeoutMs = 900_000) {
  const r = await cli(['deploy', file, '--json', ...args], { timeoutMs });
  const result = JSON.parse(r.stdout) as DeployResult;
  const why = `${r.stderr.slice(-4000)}\n${result.error ? `${result.error.code}: ${result.error.message}` : ''}`;
  return { ...r, result, why };
}

export function cli(
  args: string[],
  opts: { signalAfterMs?: number; env?: NodeJS.ProcessEnv; timeoutMs?: number; onStderr?: (s: string) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COORDINATOR, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
      opts.onStderr?.(String(c));
    });
    const kill = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`coordinator ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 180_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 180_000);
    if (opts.signalAfterMs) setTimeout(() => child.kill('SIGINT'), opts.signalAfterMs);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A coordinator command left running, for a test that acts on it mid-way (suspends it, kills it). */
export interface Background {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number>;
  /** Resolves once its progress matches `re`; rejects if it exits first, or after `timeoutMs`. */
  until: (re: RegExp, timeoutMs?: number) => Promise<void>;
}

/** Start `coordinator ARGS` in the background; whatever the test does, it is killed (woken first) at the end. */
export function background(t: TestContext, args: string[]): Background {
  const child = spawn(process.execPath, [COORDINATOR, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  t.after(() => {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  });
  const until = (re: RegExp, timeoutMs = 120_000) =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        child.stderr!.off('data', look);
        child.off('close', gone);
        if (err) reject(err);
        else resolve();
      };
      const look = () => re.test(stderr) && done();
      const gone = (code: number | null) =>
        done(new Error(`coordinator ${args[0]} exited (${code}) before ${re}:\n${stderr}`));
      const timer = setTimeout(
        () => done(new Error(`no ${re} from coordinator ${args[0]} in ${timeoutMs} ms:\n${stderr}`)),
        timeoutMs,
      );
      child.stderr!.on('data', look);
      child.on('close', gone);
      look();
    });
  return { child, stderr: () => stderr, exited, until };
}

/**
 * A certificate of the sandbox fleet's CA for `name`, made in a temp copy of the CA (the sandbox's own
 * PKI keeps no agent key: agents' keys live on their hosts).
 */
export async function fleetCertificate(t: TestContext, sb: SandboxState, name: string, role: Role, ips: string[] = []) {
  const dir = tmpDir(t);
  await fs.copyFile(pkiPaths(sb.pkiDir).caCert, pkiPaths(dir).caCert);
  await fs.copyFile(pkiPaths(sb.pkiDir).caKey, pkiPaths(dir).caKey);
  const files = await issueCertificate(dir, { name, role, ips });
  return { ca: pkiPaths(dir).caCert, ...files };
}

/** A sandbox for one test file, removed afterwards even when the test fails. */
export async function withSandbox(
  t: TestContext,
  o: Omit<SandboxOptions, 'dir'> & { prefix: string; subnet: number },
): Promise<SandboxState> {
  const dir = path.join(os.tmpdir(), `zkf-sandbox-${o.prefix}`);
  t.after(() => sandboxDown({ dir, prefix: o.prefix }));
  return sandboxUp({
    ...o,
    dir,
    log: process.env.ZKF_TEST_VERBOSE ? (s) => process.stderr.write(`sandbox: ${s}\n`) : undefined,
  });
}

/**
 * The value of the series `name` in a Prometheus exposition that has every label given, in whatever order the
 * labels were written (prom-client puts default labels last, a histogram's `le` first); undefined when none.
 */
export function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text.split('\n').find((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    return Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`));
  });
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
