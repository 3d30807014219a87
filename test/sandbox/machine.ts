import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemon, sh } from './sh';

/**
 * A sandbox host that is a machine: the shared root tree with its own writable layer (an overlay mounted
 * here, so the host's files can be read from this side), booted with systemd-nspawn in the host's network
 * namespace. Its own systemd, /etc, /opt, /data; an SSH server; units that run for real.
 */
export interface Machine {
  name: string;
  ns: string;
  /** The host's `/` as seen from here (the overlay's merged view). */
  root: string;
  upper: string;
  work: string;
  log: string;
  nspawnPid?: number;
  /** Mounted under root before boot (a small filesystem for disk-full faults). */
  tmpfs?: { path: string; sizeMB: number };
}

export async function mountRoot(m: Machine, tree: string): Promise<void> {
  for (const d of [m.root, m.upper, m.work]) await fs.mkdir(d, { recursive: true });
  const opts = `lowerdir=${tree},upperdir=${m.upper},workdir=${m.work}`;
  await sh('mount', ['-t', 'overlay', `zkf-${m.name}`, '-o', opts, m.root]);
  if (m.tmpfs) {
    const at = path.join(m.root, m.tmpfs.path);
    await fs.mkdir(at, { recursive: true });
    await sh('mount', ['-t', 'tmpfs', '-o', `size=${m.tmpfs.sizeMB}m`, `zkf-${m.name}-tmpfs`, at]);
  }
}

/** What makes a host itself: its name, machine id, SSH host keys and the operator's key. */
export async function personalize(m: Machine, o: { address: string; dns: string; authorizedKey: string }) {
  const etc = path.join(m.root, 'etc');
  await fs.writeFile(path.join(etc, 'hostname'), `${m.name}\n`);
  await fs.writeFile(path.join(etc, 'machine-id'), `${randomBytes(16).toString('hex')}\n`);
  await fs.writeFile(path.join(etc, 'hosts'), `127.0.0.1 localhost\n${o.address} ${m.name}\n`);
  await fs.rm(path.join(etc, 'resolv.conf'), { force: true });
  await fs.writeFile(path.join(etc, 'resolv.conf'), `nameserver ${o.dns}\noptions timeout:1 attempts:2\n`);
  await sh('ssh-keygen', ['-A', '-f', m.root]);
  await fs.mkdir(path.join(m.root, 'root/.ssh'), { recursive: true, mode: 0o700 });
  await fs.writeFile(path.join(m.root, 'root/.ssh/authorized_keys'), o.authorizedKey, { mode: 0o600 });
}

export function hostKey(m: Machine): string {
  return readFileSync(path.join(m.root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').trim();
}

export async function boot(m: Machine): Promise<void> {
  const args = ['-q', '--register=no', '--keep-unit', '-D', m.root, '--boot', '-M', m.name];
  args.push(`--network-namespace-path=/run/netns/${m.ns}`, '--resolv-conf=off', '--timezone=off', '--link-journal=no');
  m.nspawnPid = daemon('systemd-nspawn', args, m.log);
  await waitBooted(m);
}

/** The container's PID 1 as this side sees it (nspawn's child). */
export function leaderPid(m: Machine): number {
  const pid = m.nspawnPid;
  if (!pid) throw new Error(`${m.name} is not running`);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  const leader = Number(children[0]);
  if (!leader) throw new Error(`${m.name}: nspawn ${pid} has no container process`);
  return leader;
}

/** Run a command inside the host (all its namespaces), as root. */
export async function inMachine(
  m: Machine,
  argv: string[],
  o: { input?: string; allowFail?: boolean; timeoutMs?: number } = {},
) {
  return sh('nsenter', ['-t', String(leaderPid(m)), '-a', '--', ...argv], o);
}

async function waitBooted(m: Machine, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (m.nspawnPid && !existsSync(`/proc/${m.nspawnPid}`)) {
      throw new Error(`${m.name}: systemd-nspawn exited during boot (see ${m.log})`);
    }
    const r = await inMachine(m, ['systemctl', 'is-system-running'], { allowFail: true }).catch((e: Error) => ({
      stdout: e.message,
    }));
    last = r.stdout.trim();
    if (last === 'running' || last === 'degraded') return;
    await sleep(100);
  }
  throw new Error(`${m.name} did not finish booting in ${timeoutMs} ms (state: ${last}; see ${m.log})`);
}

/** Power off in order (as a reboot would), waiting until the machine is gone. */
export async function shutdown(m: Machine, timeoutMs = 30_000): Promise<void> {
  const pid = m.nspawnPid;
  if (!pid || !existsSync(`/proc/${pid}`)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`/proc/${pid}`) && Date.now() < deadline) await sleep(50);
  if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
  m.nspawnPid = undefined;
}

/** Stop at once: every process of the container dies with its PID 1. */
export function kill(m: Machine): void {
  try {
    process.kill(leaderPid(m), 'SIGKILL');
  } catch {
    // already gone
  }
  try {
    if (m.nspawnPid) process.kill(m.nspawnPid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The pid this side sees for a process the host knows as `pid` (its own PID namespace). */
export function hostPid(m: Machine, pid: number): number {
  const ns = readlinkSafe(`/proc/${leaderPid(m)}/ns/pid`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (readlinkSafe(`/proc/${entry}/ns/pid`) !== ns) continue;
    const status = (() => {
      try {
        return readFileSync(`/proc/${entry}/status`, 'utf8');
      } catch {
        return '';
      }
    })();
    const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1].trim().split(/\s+/);
    if (nspid && Number(nspid.at(-1)) === pid) return Number(entry);
  }
  throw new Error(`${m.name}: no process ${pid}`);
}

function readlinkSafe(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
}
