/**
 * The rules about versions, pure: what a change of artifact is (an upgrade, a downgrade), which upgrades
 * cross ZooKeeper's 3.4 → 3.5 line, whether a restarted server runs what it should, and what a rollback of
 * the whole ensemble goes back to.
 */

/** "3.8.0" → [3, 8, 0]; "11.0.24" → [11, 0, 24]; "1.8.0_292" → [1, 8, 0, 292]; "3.4.13-2d71af4..." → [3, 4, 13]. */
export function parseVersion(v: string): number[] | undefined {
  const m = /^(\d+(?:\.\d+)*)(?:_(\d+))?/.exec(v.trim());
  if (!m) return undefined;
  const parts = m[1].split('.').map(Number);
  return m[2] ? [...parts, Number(m[2])] : parts;
}

function compare(a: number[], b: number[], depth = Math.max(a.length, b.length)): number {
  for (let i = 0; i < depth; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

export type VersionChange = 'same' | 'new' | 'upgrade' | 'patch-downgrade' | 'downgrade' | 'unknown';

/**
 * What installing `to` over `from` is. A downgrade to an older minor version (or major) is `downgrade`;
 * within the same minor version it is a `patch-downgrade` (allowed: patches of a line are compatible).
 */
export function versionChange(from: string, to: string): VersionChange {
  if (!from) return 'new';
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (!a || !b) return from === to ? 'same' : 'unknown';
  const full = compare(b, a);
  if (full === 0) return 'same';
  if (full > 0) return 'upgrade';
  return compare(b, a, 2) < 0 ? 'downgrade' : 'patch-downgrade';
}

export interface HostVersions {
  name: string;
  zookeeper: string;
  jdk: string;
}

export interface Target {
  zookeeper: string;
  jdk: string;
}

/** Why a deploy of `target` is a refused downgrade, one line per host and product; empty when it is not. */
export function downgrades(hosts: HostVersions[], target: Target): string[] {
  const out: string[] = [];
  for (const h of hosts) {
    for (const [kind, what] of [
      ['zookeeper', 'ZooKeeper'],
      ['jdk', 'the JDK'],
    ] as const) {
      if (versionChange(h[kind], target[kind]) === 'downgrade') {
        out.push(`${h.name}: ${what} ${h[kind]} → ${target[kind]}`);
      }
    }
  }
  return out;
}

/** ZooKeeper 3.5 and later refuse a dataDir of transaction logs without a snapshot; 3.4 could leave one. */
export function crosses35(from: string, to: string): boolean {
  const a = parseVersion(from);
  const b = parseVersion(to);
  return !!a && !!b && compare(a, [3, 5], 2) < 0 && compare(b, [3, 5], 2) >= 0;
}

export interface DataFacts {
  name: string;
  zookeeper: string;
  hasTxnlog: boolean;
  hasSnapshot: boolean;
}

/**
 * The hosts whose dataDir 3.5+ would refuse after this upgrade ("No snapshot found"): ZooKeeper's upgrade
 * FAQ has the servers trust an empty snapshot (snapshot.trust.empty) for the upgrade, then not again.
 */
export function untrustedDataDirs(hosts: DataFacts[], targetZooKeeper: string): string[] {
  return hosts
    .filter((h) => crosses35(h.zookeeper, targetZooKeeper) && h.hasTxnlog && !h.hasSnapshot)
    .map((h) => h.name);
}

/** The ZooKeeper version in `srvr`'s line ("3.8.0-5a02a05e..., built on ...") is the expected one. */
export function reportsVersion(srvrVersion: string, expected: string): boolean {
  const v = srvrVersion.split(/[,\s]/)[0];
  return v === expected || v.startsWith(`${expected}-`);
}

/** Why a restarted server does not run what it should, or undefined. */
export function runningMismatch(
  s: { version: string; jdkRunning: string; zookeeperInstalled: string; jdkInstalled: string },
  want: Partial<Target> = {},
): string | undefined {
  const zk = want.zookeeper ?? s.zookeeperInstalled;
  const jdk = want.jdk ?? s.jdkInstalled;
  if (zk && !reportsVersion(s.version, zk)) return `it reports ZooKeeper ${s.version || '(nothing)'}, not ${zk}`;
  if (jdk && s.jdkRunning !== jdk) return `its JVM runs from ${s.jdkRunning || '(nothing)'}, not the JDK ${jdk}`;
  return undefined;
}

export interface Activated {
  name: string;
  current: Target;
  previous: Target;
}

const key = (t: Target) => `${t.zookeeper}@${t.jdk}`;

export type RollbackPlan = { target: Target; move: string[] } | { refused: string };

/**
 * What `coordinator rollback` returns the ensemble to. All servers on one version: each goes back to what it
 * ran before, which must be the same everywhere. Servers on different versions (an upgrade that stopped
 * part-way): the version every server either runs or ran just before, and only the others move.
 */
export function rollbackPlan(recorded: Activated[]): RollbackPlan {
  // A product with no earlier tree recorded stays where it is (the host goes back in the other one only).
  const hosts = recorded.map((h) => ({
    ...h,
    previous: h.previous.zookeeper || h.previous.jdk ? filled(h.previous, h.current) : h.previous,
  }));
  const currents = new Set(hosts.map((h) => key(h.current)));
  if (currents.size === 1) {
    const missing = hosts.filter((h) => !h.previous.zookeeper && !h.previous.jdk).map((h) => h.name);
    if (missing.length) return { refused: `no earlier version is recorded on ${missing.join(', ')}` };
    const previous = new Set(hosts.map((h) => key(h.previous)));
    if (previous.size > 1) {
      const list = hosts.map((h) => `${h.name} ran ${describe(h.previous)}`).join(', ');
      return { refused: `the servers ran different versions before (${list}): deploy the one you want` };
    }
    return { target: hosts[0].previous, move: hosts.map((h) => h.name) };
  }
  const common = hosts
    .map((h) => h.current)
    .find((c) => hosts.every((h) => key(h.current) === key(c) || key(h.previous) === key(c)));
  if (!common) {
    const list = hosts.map((h) => `${h.name} runs ${describe(h.current)}`).join(', ');
    return { refused: `the servers run different versions and none is everyone's earlier one (${list})` };
  }
  return { target: common, move: hosts.filter((h) => key(h.current) !== key(common)).map((h) => h.name) };
}

function filled(t: Target, from: Target): Target {
  return { zookeeper: t.zookeeper || from.zookeeper, jdk: t.jdk || from.jdk };
}

export function describe(t: Target): string {
  return `ZooKeeper ${t.zookeeper || '-'} on JDK ${t.jdk || '-'}`;
}

/** Why a version cannot refuse anonymous clients (enforce.auth.enabled came in 3.7.0), or undefined. */
export function enforceVersionProblem(version: string): string | undefined {
  const [major, minor] = parseVersion(version) ?? [];
  const has = major > 3 || (major === 3 && minor >= 7);
  return has
    ? undefined
    : `ZooKeeper ${version} cannot refuse anonymous clients (enforce.auth.enabled came in 3.7.0); upgrade, or set ` +
        'enforce: false to keep the ACLs without it';
}

/** Why a version cannot run quorum TLS as zkfleet sets it up (PEM stores, portUnification: 3.5.5), or undefined. */
export function tlsVersionProblem(version: string): string | undefined {
  const v = parseVersion(version) ?? [];
  return compare(v, [3, 5, 5], 3) >= 0
    ? undefined
    : `ZooKeeper ${version} has no quorum TLS zkfleet can set up (it needs 3.5.5 or later: sslQuorum, ` +
        'portUnification, PEM stores); upgrade first, then turn TLS on';
}
