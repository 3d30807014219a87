import { X509Certificate } from 'node:crypto';
import { MIN_SYSTEMD } from '../../shared/systemd-units';
import type { HostProbe } from './probe';

/** The oldest kernel the release runs on (CentOS 7's 3.10). */
export const MIN_KERNEL = '3.10';

/**
 * The rules of a bootstrap, as pure functions: whether a host can run the agent at all, and what must
 * change on it to match the release, the fleet's CA and the ensemble file. Unit-tested on made-up probes.
 */
export interface ReleaseInfo {
  file: string;
  version: string;
  sha256: string;
  size: number;
  protocolVersion: number;
  /** Releases before 0.4 ran on the host's C library: the oldest glibc they need. */
  minGlibc?: string;
  /** What the release needs of a host; it brings its own C runtime. */
  needs?: { kernel: string; systemd: number };
  arch: string;
  unitText: string;
  tmpfilesText: string;
}

export interface Desired {
  name: string;
  address: string;
  port: number;
  release: ReleaseInfo;
  configSha: string;
  caSha: string;
  /** The agent's unit for this host's systemd (known once the host is probed), and the digest the probe compares. */
  unitText: string;
  unitSha: string;
  caPem: string;
}

export type Action =
  'upload-release' | 'ca' | 'key' | 'certificate' | 'config' | 'unit' | 'activate' | 'enable' | 'restart' | 'start';

export interface HostPlan {
  actions: Action[];
  reasons: string[];
  /** An agent of another version runs there: the host is upgraded one at a time, with rollback. */
  upgradeFrom?: string;
}

/** Dotted version order: -1, 0, 1. Missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number(x) || 0);
  const pb = b.split(/[.-]/).map((x) => Number(x) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** Why a host cannot run the agent at all, before anything on it is changed. */
export function hostRefusals(p: HostProbe, d: Desired): string[] {
  const r = d.release;
  const out: string[] = [];
  if (p.arch !== r.arch) out.push(`its architecture is ${p.arch || 'unknown'}; the release is for ${r.arch}`);
  if (r.minGlibc) out.push(...glibcRefusals(p, r.minGlibc));
  const systemd = r.needs?.systemd ?? MIN_SYSTEMD;
  const kernel = r.needs?.kernel ?? MIN_KERNEL;
  if (!p.systemd) out.push('systemd is not running as PID 1: the agent runs as a systemd unit');
  else if (p.systemdVersion && p.systemdVersion < systemd) {
    out.push(`systemd ${p.systemdVersion} is older than ${systemd} (CentOS 7's), the oldest the release supports`);
  }
  if (p.kernel && compareVersions(p.kernel, kernel) < 0) {
    out.push(`Linux ${p.kernel} is older than ${kernel} (CentOS 7's), the oldest the release runs on`);
  }
  const need = r.size * 4;
  if (!p.releases[r.version] && p.freeOptBytes < need) {
    out.push(`only ${mb(p.freeOptBytes)} MB free under /opt; the release needs ${mb(need)} MB`);
  }
  if (p.portOwner && !/zkfleet-agent/.test(p.portOwner)) out.push(`port ${d.port} is taken: ${p.portOwner}`);
  return out;
}

/** A release that runs on the host's C library (before 0.4) needs a glibc of its own age. */
function glibcRefusals(p: HostProbe, minGlibc: string): string[] {
  if (!p.glibc) return ['no glibc found (getconf GNU_LIBC_VERSION): this release needs glibc, not musl'];
  if (compareVersions(p.glibc, minGlibc) >= 0) return [];
  return [`glibc ${p.glibc} is older than ${minGlibc}, which this release's Node runtime needs (CentOS 7 ships 2.17)`];
}

const mb = (n: number) => Math.round(n / 1e6);

/** Why the host's certificate must be issued again, or undefined when it serves. */
export function certificateProblem(certPem: string, d: Desired, now = Date.now()): string | undefined {
  if (!certPem) return 'no certificate yet';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return 'the certificate cannot be read';
  }
  const ca = new X509Certificate(d.caPem);
  if (!cert.verify(ca.publicKey)) return 'the certificate comes from another CA';
  if (/(^|\n)CN=([^\n]*)/.exec(cert.subject)?.[2] !== d.name) return `the certificate is not for ${d.name}`;
  if (!(cert.subjectAltName ?? '').split(', ').includes(`IP Address:${d.address}`)) {
    return `the certificate does not name ${d.address}`;
  }
  if (new Date(cert.validTo).getTime() - now < 30 * 86_400_000) return `the certificate expires on ${cert.validTo}`;
  return undefined;
}

function releaseActions(p: HostProbe, d: Desired, plan: HostPlan): void {
  const v = d.release.version;
  if (p.releases[v] !== d.release.sha256) {
    plan.actions.push('upload-release');
    plan.reasons.push(p.releases[v] ? `release ${v} is installed from another build` : `release ${v} is not installed`);
  }
}

function activation(p: HostProbe, d: Desired, plan: HostPlan): void {
  if (p.current === d.release.version) return;
  plan.actions.push('activate');
  plan.reasons.push(p.current ? `runs ${p.current}` : 'no agent installed');
  if (p.current && p.active === 'active') plan.upgradeFrom = p.current;
}

function fileActions(p: HostProbe, d: Desired, plan: HostPlan): void {
  const add = (a: Action, why: string) => {
    plan.actions.push(a);
    plan.reasons.push(why);
  };
  if (p.caSha !== d.caSha) add('ca', p.caSha ? 'the CA certificate differs' : 'no CA certificate');
  if (!p.hasKey) add('key', 'no key on the host');
  const certWhy = p.hasKey ? certificateProblem(p.certPem, d) : 'a new key needs a new certificate';
  if (certWhy) add('certificate', certWhy);
  if (p.configSha !== d.configSha) add('config', p.configSha ? 'agent.yaml differs' : 'no agent.yaml');
  if (p.unitSha !== d.unitSha) add('unit', p.unitSha ? 'the unit file differs' : 'no unit file');
}

/** What to change on a host, in order; nothing when it already matches (a second run changes nothing). */
export function planHost(p: HostProbe, d: Desired): HostPlan {
  const plan: HostPlan = { actions: [], reasons: [] };
  releaseActions(p, d, plan);
  fileActions(p, d, plan);
  activation(p, d, plan);
  if (p.enabled !== 'enabled') {
    plan.actions.push('enable');
    plan.reasons.push('the unit is not enabled');
  }
  const changed = plan.actions.some((a) => a !== 'enable');
  if (p.active !== 'active') {
    plan.actions.push('start');
    plan.reasons.push(`the agent is ${p.active || 'not running'}`);
  } else if (changed) plan.actions.push('restart');
  return plan;
}
