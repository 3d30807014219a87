import { Command } from 'commander';
import { statusAll } from '../deploy';
import { loadEnsemble, zkHosts, type Ensemble } from '../ensemble';
import { Fleet } from '../fleet';
import { age, table } from '../format';
import { fetchServerView, type ServerView } from '../health-view';
import { readState } from '../state';
import { judgeQuorum, registryAddress, serverName } from '../topology';
import { EXIT, fail, writeJson } from './common';
import type { Disk__Output } from '../../shared/proto-types/zkfleet/v1/Disk';
import type { ZooKeeperStatus__Output } from '../../shared/proto-types/zkfleet/v1/ZooKeeperStatus';

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
  hosts: Array<{
    name: string;
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
  }>;
}

/** From the coordinator server's latest reports when it runs, else by asking every agent now. */
export async function collectStatus(e: Ensemble, opts: { live?: boolean } = {}): Promise<StatusResult> {
  const state = await readState(e.stateDir);
  const zk = zkHosts(e);
  const view: ServerView | undefined = opts.live ? undefined : await fetchServerView(e).catch(() => undefined);
  const statuses = new Map<string, ZooKeeperStatus__Output | Error>();
  const liveDisks = new Map<string, Disk__Output[]>();
  if (view) {
    for (const h of zk) {
      const r = view.hosts[h.name];
      if (!r || r.stale)
        statuses.set(
          h.name,
          new Error(r ? `stale: last report ${age(Date.now() - r.receivedAt)} ago` : 'no report yet'),
        );
      else statuses.set(h.name, r.zookeeper);
    }
  } else {
    const fleet = await Fleet.open(e);
    try {
      const [st, facts] = await Promise.all([
        statusAll(fleet, zk),
        Promise.all(
          zk.map((h) =>
            fleet
              .agent(h)
              .facts(
                { dataDir: e.spec.zookeeper.dataDir, dataLogDir: e.spec.zookeeper.dataLogDir },
                { timeoutMs: 5000 },
              )
              .catch(() => undefined),
          ),
        ),
      ]);
      for (const [k, v] of st) statuses.set(k, v);
      zk.forEach((h, i) => {
        if (facts[i]) liveDisks.set(h.name, facts[i]!.disks);
      });
    } finally {
      fleet.close();
    }
  }
  const verdict = judgeQuorum(e, statuses);
  const hosts = zk.map((h) => {
    const s = statuses.get(h.name);
    const myid = state.myids[h.name];
    const r = view?.hosts[h.name];
    const disks = r?.disks ?? liveDisks.get(h.name) ?? [];
    const dataDisk =
      disks.find(
        (d) => d.totalBytes && (d.freeBytes / d.totalBytes < 0.05 || d.freeBytes < e.spec.zookeeper.minFreeMB * 1e6),
      ) ?? disks[0];
    const low =
      !!dataDisk &&
      !!dataDisk.totalBytes &&
      (dataDisk.freeBytes / dataDisk.totalBytes < 0.05 || dataDisk.freeBytes < e.spec.zookeeper.minFreeMB * 1e6);
    return {
      name: h.name,
      myid,
      dnsName: myid ? serverName(e, h, myid) : '-',
      mode: s instanceof Error ? 'unreachable' : (s?.mode ?? 'unknown'),
      zxid: s instanceof Error ? '' : (s?.zxid ?? ''),
      latencyAvg: s instanceof Error ? undefined : s?.latencyAvg,
      connections: s instanceof Error ? undefined : s?.connections,
      error: s instanceof Error ? s.message : undefined,
      reportAgeMs: r ? Date.now() - r.receivedAt : undefined,
      stale: r?.stale,
      drift: r?.drift,
      freeDataBytes: dataDisk?.freeBytes,
      diskWarning: low
        ? `disk almost full under ${dataDisk!.path}: ${(dataDisk!.freeBytes / 1e6).toFixed(0)} MB free`
        : undefined,
    };
  });
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
    hosts,
  };
}

export function renderStatus(s: StatusResult): string {
  const head =
    `ensemble ${s.ensemble}: quorum ${s.quorum ? 'yes' : 'NO'}, leader ${s.leader ?? '-'}, tolerates ${s.tolerates} more failure${s.tolerates === 1 ? '' : 's'}` +
    `${s.stale.length ? `, stale: ${s.stale.join(', ')}` : ''}${s.drifted.length ? `, drifted: ${s.drifted.join(', ')}` : ''} (from ${s.source === 'server' ? 'the coordinator server' : 'the agents, live'})\n`;
  const rows = s.hosts.map((h) => [
    h.name,
    h.myid ? String(h.myid) : '-',
    h.dnsName,
    h.mode,
    h.zxid || '-',
    h.latencyAvg !== undefined ? String(h.latencyAvg) : '-',
    h.connections !== undefined ? String(h.connections) : '-',
    [
      h.reportAgeMs !== undefined ? `report ${age(h.reportAgeMs)} ago` : '',
      h.drift?.length ? `DRIFT: ${h.drift.join(', ')}` : '',
      h.diskWarning ?? '',
      h.error ?? '',
    ]
      .filter(Boolean)
      .join('; '),
  ]);
  return (
    head +
    '\n' +
    table(['HOST', 'MYID', 'DNS NAME', 'MODE', 'ZXID', 'LAT(ms)', 'CONNS', 'NOTES'], rows) +
    `\nregistry  ${s.registry}\n` +
    (s.problems.length ? `\nproblems:\n  ${s.problems.join('\n  ')}\n` : '')
  );
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .argument('<file>', 'the ensemble file')
    .option('--json', 'machine-readable result')
    .option('--live', 'ask the agents now, even when a coordinator server holds reports')
    .option('--state-dir <dir>', 'state directory (default: .zkfleet/<name> next to the file)')
    .description(
      'the ensemble at a glance: quorum, leader, failures tolerated, per-host mode and zxid, staleness and drift',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 quorum and every server serving, 2 degraded (quorum but some host out, stale or drifted), 1 no quorum or error.\n',
    )
    .action(async (file: string, o: { json?: boolean; live?: boolean; stateDir?: string }) => {
      try {
        const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false });
        const s = await collectStatus(e, { live: o.live });
        if (o.json) writeJson(s);
        else process.stdout.write(renderStatus(s));
        process.exitCode = !s.quorum
          ? EXIT.ERROR
          : s.problems.length || s.stale.length || s.drifted.length || s.hosts.some((h) => h.diskWarning)
            ? EXIT.PARTIAL
            : EXIT.OK;
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}
