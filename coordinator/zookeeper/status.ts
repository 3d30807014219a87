import { clientTlsMode, QUORUM_TLS_OFF, QUORUM_TLS_ON } from '../../shared/zookeeper/tls';
import path from 'node:path';
import type { Disk__Output, ZooKeeperStatus__Output } from '../../shared/generated/wire';
import { lowDisk } from '../../shared/disk';
import { zkHosts, type Ensemble, type HostSpec } from '../ensemble/file';
import { statusAll } from './statuses';
import { Fleet } from '../fleet/fleet';
import { age, table } from '../output/format';
import { fetchServerView, type ServerView } from '../fleet/health-view';
import { judgeQuorum, type Statuses } from './quorum';
import { readState, type EnsembleState } from '../ensemble/state';
import { registryAddress, serverName } from '../ensemble/topology';
import { applicationUserFile } from '../ensemble/zookeeper-users';

export interface HostStatus {
  name: string;
  agentVersion?: string;
  myid?: number;
  dnsName: string;
  mode: string;
  zxid: string;
  latencyAvg?: number;
  connections?: number;
  reportAgeMs?: number;
  drift?: string[];
  stale?: boolean;
  error?: string;
  freeDataBytes?: number;
  diskWarning?: string;
  /** Supervision: what the server should be doing, and what its supervisor had to do. */
  desired?: string;
  supervisor?: string;
  user?: string;
  restarts?: number;
  lastExit?: string;
  backoffMs?: number;
  /** What the links point at, what the running server runs, what waits for its restart. */
  zookeeper?: Versions;
  jdk?: Versions;
  /** Why the running server would run differently after a restart (a roll is due). */
  restartPending?: string[];
}

export interface Versions {
  installed: string;
  running: string;
  staged: string;
  previous: string;
}

export interface StatusResult {
  ensemble: string;
  source: 'server' | 'agents';
  quorum: boolean;
  leader?: string;
  tolerates: number;
  problems: string[];
  stale: string[];
  drifted: string[];
  registry: string;
  /** Voting servers and observers of the file. */
  voters: number;
  observers: string[];
  /** What differs between the file and the servers the ensemble runs with (a deploy would change it). */
  membership: string[];
  /** With reconfig: the config version and members the servers' dynamic files hold ("" without reconfig). */
  config: string;
  /** With zookeeper.auth: what is enforced and who writes the registry ("" without). */
  auth: string;
  /** Quorum TLS: the stage the servers are at and the earliest certificate expiry ("" when never turned on). */
  tls: string;
  /** Client TLS on: the port services reach over TLS. */
  secureClientPort?: number;
  hosts: HostStatus[];
}

interface Gathered {
  statuses: Map<string, ZooKeeperStatus__Output | Error>;
  agentVersions: Map<string, string>;
  disks: Map<string, Disk__Output[]>;
  view?: ServerView;
}

/** From the coordinator server's latest reports when it runs, else by asking every agent now. */
export async function collectStatus(
  e: Ensemble,
  opts: { live?: boolean; signal?: AbortSignal } = {},
): Promise<StatusResult> {
  const state = await readState(e.stateDir);
  const view = opts.live ? undefined : await fetchServerView(e, opts.signal).catch(() => undefined);
  const g = view ? fromServer(e, view) : await fromAgents(e, opts.signal);
  const verdict = judgeQuorum(zkHosts(e), g.statuses);
  const hosts = zkHosts(e).map((h) => hostStatus(e, h, state.myids[h.name], g));
  return {
    ensemble: e.spec.name,
    source: view ? 'server' : 'agents',
    quorum: verdict.ok || (!!verdict.leader && verdict.serving > verdict.voters / 2),
    leader: verdict.leader,
    tolerates: verdict.tolerates,
    problems: verdict.problems,
    stale: hosts.filter((h) => h.stale).map((h) => h.name),
    drifted: hosts.filter((h) => h.drift?.length).map((h) => h.name),
    registry: registryAddress(e, state.myids),
    voters: zkHosts(e).filter((h) => !h.observer).length,
    observers: zkHosts(e)
      .filter((h) => h.observer)
      .map((h) => h.name),
    membership: membershipNotes(e, state),
    config: configLine(g.statuses),
    auth: authLine(e),
    tls: tlsLine(e, g.statuses),
    secureClientPort: e.spec.zookeeper.tls.client === 'off' ? undefined : e.spec.zookeeper.tls.secureClientPort,
    hosts,
  };
}

/** "anonymous clients refused; users dubbo, ops; /dubbo written by dubbo; passwords in .../zookeeper-users/". */
function authLine(e: Ensemble): string {
  const a = e.spec.zookeeper.auth;
  if (!a) return '';
  const who = a.enforce ? 'anonymous clients refused (enforce.auth.enabled)' : 'anonymous clients allowed (read only)';
  const dir = path.dirname(applicationUserFile(e.stateDir, a.users[0]));
  const writers = (a.writers ?? a.users).join(', ');
  return `${who}; users ${a.users.join(', ')}; ${a.root} written by ${writers}; passwords in ${dir}/`;
}

/**
 * "quorum_tls_only, client_tls_only on every server that answers; certificates valid until 2029-03-01 (hdss7-12
 * first)", or each server's when they differ; "" while TLS was never turned on.
 */
export function tlsLine(e: Ensemble, statuses: Map<string, ZooKeeperStatus__Output | Error>): string {
  const seen = [...statuses].flatMap(([name, s]) => (s instanceof Error || !s.quorumTls ? [] : [{ name, s }]));
  const t = e.spec.zookeeper.tls;
  const wanted = tlsWords(t.quorum ? QUORUM_TLS_ON : QUORUM_TLS_OFF, clientTlsMode(t.client));
  const words = seen.map(({ name, s }) => ({ name, at: tlsWords(s.quorumTls, s.clientTls) }));
  const off = tlsWords(QUORUM_TLS_OFF, 'client_tls_off');
  if (words.every((w) => w.at === off) && wanted === off) return '';
  const stages = new Set(words.map((w) => w.at));
  const where =
    stages.size === 1
      ? `${[...stages][0]} on every server that answers`
      : `servers differ: ${words.map((w) => `${w.name} ${w.at}`).join('; ')}`;
  const certs = seen.filter(({ s }) => s.tlsNotAfter).sort((a, b) => a.s.tlsNotAfter.localeCompare(b.s.tlsNotAfter));
  const first = certs[0];
  const until = first ? `; certificates valid until ${first.s.tlsNotAfter.slice(0, 10)} (${first.name} first)` : '';
  const pending = [...stages].some((st) => st !== wanted) ? `; the file asks for ${wanted}: a deploy moves it` : '';
  return `${where}${until}${pending}`;
}

const tlsWords = (quorum: string, client: string) => (client === 'client_tls_off' ? quorum : `${quorum}, ${client}`);

/** "100000002: 1,2,3 on every server", or each server's when they differ (a reconfig not yet everywhere). */
export function configLine(statuses: Map<string, ZooKeeperStatus__Output | Error>): string {
  const seen = [...statuses].flatMap(([name, s]) =>
    s instanceof Error || !s.configVersion ? [] : [{ name, config: `${s.configVersion}: ${s.configMembers}` }],
  );
  if (!seen.length) return '';
  const configs = new Set(seen.map((x) => x.config));
  if (configs.size === 1) return `version ${seen[0].config} on every server that answers`;
  return `servers differ: ${seen.map((x) => `${x.name} ${x.config}`).join('; ')}`;
}

/** The file against the membership the last deploy left; removed servers whose host was not told yet. */
function membershipNotes(e: Ensemble, state: EnsembleState): string[] {
  const out: string[] = [];
  const names = zkHosts(e).map((h) => h.name);
  const members = state.members?.map((m) => m.name);
  const adds = members ? names.filter((n) => !members.includes(n)) : [];
  const removes = members ? members.filter((n) => !names.includes(n)) : [];
  if (adds.length || removes.length) {
    const what = [adds.length ? `adds ${adds.join(', ')}` : '', removes.length ? `removes ${removes.join(', ')}` : ''];
    const how = '`coordinator deploy` makes the change (--dry-run shows the plan)';
    out.push(`the file ${what.filter(Boolean).join(' and ')}: ${how}`);
  }
  for (const m of state.fence ?? []) {
    const why = 'was removed while its host was unreachable: the next deploy stops its server for good';
    out.push(`${m.name} (myid ${m.myid}) ${why}`);
  }
  return out;
}

function fromServer(e: Ensemble, view: ServerView): Gathered {
  const statuses = new Map<string, ZooKeeperStatus__Output | Error>();
  const disks = new Map<string, Disk__Output[]>();
  const agentVersions = new Map<string, string>();
  for (const h of zkHosts(e)) {
    const r = view.hosts[h.name];
    if (!r) statuses.set(h.name, new Error('no report yet'));
    else if (r.stale) statuses.set(h.name, new Error(`stale: last report ${age(Date.now() - r.receivedAt)} ago`));
    else statuses.set(h.name, r.zookeeper);
    if (r) disks.set(h.name, r.disks);
    if (r?.agentVersion) agentVersions.set(h.name, r.agentVersion);
  }
  return { statuses, disks, agentVersions, view };
}

async function fromAgents(e: Ensemble, signal?: AbortSignal): Promise<Gathered> {
  const fleet = await Fleet.open(e);
  try {
    const zk = zkHosts(e);
    const z = e.spec.zookeeper;
    const factsOf = (h: HostSpec) =>
      fleet
        .agent(h)
        .facts({ dataDir: z.dataDir, dataLogDir: z.dataLogDir }, { timeoutMs: 5000, signal })
        .catch(() => undefined);
    const [statuses, facts] = await Promise.all([statusAll(fleet, zk, { signal }), Promise.all(zk.map(factsOf))]);
    const disks = new Map(zk.flatMap((h, i) => (facts[i] ? [[h.name, facts[i]!.disks] as const] : [])));
    const agentVersions = new Map(zk.flatMap((h, i) => (facts[i] ? [[h.name, facts[i]!.agentVersion] as const] : [])));
    return { statuses, disks, agentVersions };
  } finally {
    fleet.close();
  }
}

function hostStatus(e: Ensemble, h: HostSpec, myid: number | undefined, g: Gathered): HostStatus {
  const s = (g.statuses as Statuses).get(h.name);
  const ok = s instanceof Error ? undefined : s;
  const r = g.view?.hosts[h.name];
  const disks = g.disks.get(h.name) ?? [];
  const low = lowDisk(disks, e.spec.zookeeper.minFreeMB);
  return {
    name: h.name,
    agentVersion: g.agentVersions.get(h.name),
    myid,
    dnsName: myid ? serverName(e, h, myid) : '-',
    mode: s instanceof Error ? 'unreachable' : (ok?.mode ?? 'unknown'),
    zxid: ok?.zxid ?? '',
    latencyAvg: ok?.latencyAvg,
    connections: ok?.connections,
    error: s instanceof Error ? s.message : undefined,
    reportAgeMs: r ? Date.now() - r.receivedAt : undefined,
    stale: r?.stale,
    drift: r?.drift,
    freeDataBytes: disks[0]?.freeBytes,
    diskWarning: low ? `disk almost full under ${low}` : undefined,
    desired: ok?.desired || undefined,
    supervisor: ok?.supervisor || undefined,
    user: ok?.user || undefined,
    restarts: ok?.restarts ?? undefined,
    lastExit: ok?.lastExit || undefined,
    backoffMs: ok?.backoffMs || undefined,
    ...(ok ? versions(ok) : {}),
  };
}

function versions(s: ZooKeeperStatus__Output): Pick<HostStatus, 'zookeeper' | 'jdk' | 'restartPending'> {
  return {
    zookeeper: {
      installed: s.zookeeperInstalled,
      running: s.pid ? s.version.split(/[-,]/)[0] : '',
      staged: s.zookeeperStaged,
      previous: s.zookeeperPrevious,
    },
    jdk: { installed: s.jdkInstalled, running: s.jdkRunning, staged: s.jdkStaged, previous: s.jdkPrevious },
    restartPending: s.restartPending?.length ? s.restartPending : undefined,
  };
}

/** "3.8.0"; "3.4.13 (installed 3.8.0)" while the server runs the old one; "3.4.13 (→3.8.0)" while staged. */
export function versionCell(v: Versions | undefined): string {
  if (!v) return '-';
  const shown = v.running || v.installed || '-';
  if (v.staged) return `${shown} (→${v.staged})`;
  if (v.running && v.installed && v.running !== v.installed) return `${shown} (installed ${v.installed})`;
  return shown;
}

export function renderStatus(s: StatusResult): string {
  const plural = s.tolerates === 1 ? '' : 's';
  const stale = s.stale.length ? `, stale: ${s.stale.join(', ')}` : '';
  const drifted = s.drifted.length ? `, drifted: ${s.drifted.join(', ')}` : '';
  const source = s.source === 'server' ? 'the coordinator server' : 'the agents, live';
  const tolerates = `tolerates ${s.tolerates} more failure${plural}`;
  const quorum = `quorum ${s.quorum ? 'yes' : 'NO'}, leader ${s.leader ?? '-'}, ${tolerates}`;
  const observers = s.observers.length ? ` + ${s.observers.length} observer${s.observers.length === 1 ? '' : 's'}` : '';
  const head = `ensemble ${s.ensemble}: ${quorum}, ${s.voters} voters${observers}${stale}${drifted} (from ${source})\n`;
  const rows = s.hosts.map((h) => [
    h.name,
    h.myid ? String(h.myid) : '-',
    h.dnsName,
    h.mode,
    versionCell(h.zookeeper),
    versionCell(h.jdk),
    h.zxid || '-',
    h.latencyAvg !== undefined ? String(h.latencyAvg) : '-',
    h.connections !== undefined ? String(h.connections) : '-',
    h.agentVersion ?? '-',
    notes(h),
  ]);
  const problems = s.problems.length ? `\nproblems:\n  ${s.problems.join('\n  ')}\n` : '';
  const header = ['HOST', 'MYID', 'DNS NAME', 'MODE', 'ZOOKEEPER', 'JDK', 'ZXID', 'LAT(ms)', 'CONNS', 'AGENT', 'NOTES'];
  const body = table(header, rows);
  const membership = s.membership.map((m) => `membership  ${m}\n`).join('');
  const config = s.config ? `reconfig  ${s.config}\n` : '';
  const auth = s.auth ? `auth      ${s.auth}\n` : '';
  const tls = s.tls ? `tls       ${s.tls}\n` : '';
  const secure = s.secureClientPort
    ? ` (TLS on ${s.secureClientPort}: coordinator pki client NAME gives the JVM flags)`
    : '';
  return `${head}\n${body}\nregistry  ${s.registry}${secure}\n${auth}${tls}${config}${membership}${problems}`;
}

/** What supervision says of a host: a stop on purpose, restarts and why, a backing-off crash loop. */
function supervisionNote(h: HostStatus): string {
  if (h.desired === 'stopped') return 'stopped on purpose (coordinator start brings it back)';
  const parts: string[] = [];
  if (h.restarts)
    parts.push(`restarted ${h.restarts}× by the ${h.supervisor ?? 'agent'} (last stop: ${h.lastExit ?? '?'})`);
  if (h.backoffMs) parts.push(`crash loop: next start in ${Math.ceil(h.backoffMs / 1000)} s`);
  return parts.join('; ');
}

function notes(h: HostStatus): string {
  return [
    supervisionNote(h),
    h.restartPending ? `restart pending: ${h.restartPending.join(', ')}` : '',
    h.reportAgeMs !== undefined ? `report ${age(h.reportAgeMs)} ago` : '',
    h.drift?.length ? `DRIFT: ${h.drift.join(', ')}` : '',
    h.diskWarning ?? '',
    h.error ?? '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** 0 healthy, 2 degraded (a host out, stale, drifted or low on disk), 1 no quorum. */
export function statusExitCode(s: StatusResult): 0 | 1 | 2 {
  if (!s.quorum) return 1;
  const degraded = s.problems.length || s.stale.length || s.drifted.length || s.hosts.some((h) => h.diskWarning);
  return degraded ? 2 : 0;
}
