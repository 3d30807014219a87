import { isServing } from '../../shared/zookeeper/mode';
import type { ZooKeeperStatus } from '../../shared/generated/wire';
import { fourLetterWord, parseMntr, parseSrvr, type SrvrInfo } from './four-letter';
import type { StateFile, ZooKeeperState } from '../daemon/state';
import { dynamicStatus } from './dynamic';
import { logTail } from './process';
import { serverPid } from './runners';
import { unitState, type UnitState } from './systemd';
import { versionsOf } from './versions';

/** Mode and figures from the four-letter words (no JVM started), the pid, supervision, a log tail when down. */
export async function zooKeeperStatus(state: StateFile, logTailLines = 0): Promise<ZooKeeperStatus> {
  const zk = (await state.read()).zookeeper;
  if (!zk) return { mode: 'not_configured' };
  // Under systemd one `systemctl show` answers both the pid and the supervision figures (a status runs at
  // every health report). The four-letter words and the trees do not wait for it: a deploy reads every
  // server's status before it starts or rolls anything.
  const unit = zk.supervisor === 'systemd' ? unitState().catch(() => undefined) : undefined;
  const pidRead = serverPid(zk, undefined, unit);
  const [pid, supervision, [srvr, mntr], versions, dynamic] = await Promise.all([
    pidRead,
    supervisionOf(zk, unit),
    Promise.allSettled([
      fourLetterWord(zk.clientHost, zk.clientPort, 'srvr'),
      fourLetterWord(zk.clientHost, zk.clientPort, 'mntr'),
    ]),
    versionsOf(state, pidRead),
    dynamicStatus(zk.cfgFile),
  ]);
  const status: ZooKeeperStatus = {
    mode: silentMode(pid),
    pid,
    myid: zk.myid,
    clientAddress: `${zk.clientHost}:${zk.clientPort}`,
    ...supervision,
    quorumTls: zk.quorumTls ?? 'quorum_plain',
    clientTls: zk.clientTls ?? 'client_tls_off',
    tlsNotAfter: zk.tlsNotAfter ?? '',
  };
  // A backoff is the wait of a server that should run and does not: a running one has none to show.
  if (pid) status.backoffMs = 0;
  if (srvr.status === 'fulfilled') Object.assign(status, fromSrvr(parseSrvr(srvr.value)));
  if (mntr.status === 'fulfilled') Object.assign(status, fromMntr(parseMntr(mntr.value)));
  if (logTailLines && !isServing(status.mode)) status.logTail = await logTail(zk, logTailLines);
  return { ...status, ...versions, ...dynamic };
}

/**
 * The server's mode alone, for facts: one `srvr`, and the pid (a `systemctl show` under systemd) only when
 * it does not answer. A deploy asks every host for facts before anything else.
 */
export async function zooKeeperMode(state: StateFile): Promise<ZooKeeperStatus['mode']> {
  const zk = (await state.read()).zookeeper;
  if (!zk) return 'not_configured';
  const srvr = await fourLetterWord(zk.clientHost, zk.clientPort, 'srvr').catch(() => undefined);
  return srvr !== undefined ? fromSrvr(parseSrvr(srvr)).mode : silentMode(await serverPid(zk));
}

/** The mode of a server that does not answer `srvr`: its process runs but does not serve, or it is down. */
function silentMode(pid: number): ZooKeeperStatus['mode'] {
  return pid ? 'not_serving' : 'down';
}

/** What the supervisor keeps and what it had to do; under systemd, systemd's own count and last exit. */
async function supervisionOf(zk: ZooKeeperState, unit?: Promise<UnitState | undefined>): Promise<ZooKeeperStatus> {
  const common = { desired: zk.desired ?? '', supervisor: zk.supervisor, user: zk.user };
  if (zk.supervisor === 'systemd') {
    const u = await (unit ?? unitState().catch(() => undefined));
    return { ...common, restarts: u?.restarts ?? 0, lastExit: u?.lastExit ?? '' };
  }
  const backoffMs = Math.max(0, (zk.nextAttemptAt ?? 0) - Date.now());
  return {
    ...common,
    restarts: zk.restarts ?? 0,
    lastExit: zk.lastExit ?? '',
    lastExitLog: zk.lastExitLog ?? '',
    backoffMs,
  };
}

function fromSrvr(s: SrvrInfo): ZooKeeperStatus {
  const mode = !s.notServing && isServing(s.mode) ? s.mode : 'not_serving';
  return {
    listening: true,
    mode: mode as ZooKeeperStatus['mode'],
    zxid: s.zxid ?? '',
    connections: s.connections ?? 0,
    outstanding: s.outstanding ?? 0,
    nodeCount: s.nodeCount ?? 0,
    version: s.version ?? '',
    latencyMin: s.latency?.[0] ?? 0,
    latencyAvg: s.latency?.[1] ?? 0,
    latencyMax: s.latency?.[2] ?? 0,
  };
}

function fromMntr(m: Map<string, string>): ZooKeeperStatus {
  const n = (k: string) => Number(m.get(k) ?? 0) || 0;
  return {
    syncedFollowers: n('zk_synced_followers'),
    followers: n('zk_followers'),
    openFds: n('zk_open_file_descriptor_count'),
    quorumSize: n('zk_quorum_size'),
  };
}
