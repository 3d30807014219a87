import { lookup } from 'node:dns/promises';
import { promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import { SerialQueue } from '../../shared/serial-queue';
import { tcpOpen } from '../../shared/tcp';
import { killPoint } from '../../shared/fault';
import type { StepResult, ZooKeeperServiceRequest__Output, ZooKeeperStatus } from '../../shared/generated/wire';
import { activatePending, activatePrevious } from '../artifacts/activation';
import { fourLetterWord } from './four-letter';
import type { Host } from '../daemon/host';
import type { StateFile, ZooKeeperState } from '../daemon/state';
import { startTrees } from '../artifacts/trees';
import { identityOnDisk, logTail, pidAlive } from './process';
import { agentRunner, serverPid, systemdRunner } from './runners';
import { zooKeeperStatus } from './status';
import { disableZkUnit } from './configure';
import { moveDataAside } from './data-dirs';

export type ServiceAction = ZooKeeperServiceRequest__Output['action'];
type Reply = { result: StepResult; status: ZooKeeperStatus };

/**
 * One start/stop/restart at a time on a host: the coordinator's calls, a retry, a second coordinator and
 * the agent's own supervisor all go through this queue, so none undoes or races another.
 */
export const serviceQueue = new SerialQueue();

/** How long a started server must stay up to count as started, and how often it is looked at meanwhile. */
const STAY_UP_MS = 1500;
const STAY_UP_POLL_MS = 50;

type ServiceRequest = Pick<ZooKeeperServiceRequest__Output, 'action' | 'dryRun' | 'activate' | 'rollback'>;

export function zooKeeperService(
  host: Host,
  state: StateFile,
  req: ServiceRequest,
  signal?: AbortSignal,
): Promise<Reply> {
  if (req.action === 'STATUS') return withStatus(state, { changed: false, description: 'status only' });
  if (req.rollback && req.action !== 'RESTART') {
    throw new ZkfError('INVALID_ARGUMENT', 'a rollback is a restart: action RESTART with rollback');
  }
  if (req.dryRun) return plan(state, req).then((result) => withStatus(state, result));
  const work = req.action === 'RETIRE' ? () => retire(host, state, signal) : () => act(host, state, req, signal);
  return serviceQueue.run(work).then((result) => withStatus(state, result));
}

async function withStatus(state: StateFile, result: StepResult): Promise<Reply> {
  return { result, status: await zooKeeperStatus(state, 30) };
}

async function plan(state: StateFile, req: ServiceRequest): Promise<StepResult> {
  const zk = (await state.read()).zookeeper;
  if (req.action === 'RETIRE') {
    if (zk?.desired === 'removed') return { changed: false, description: 'already removed from the ensemble' };
    return { changed: !!zk, description: zk ? 'would stop the server for good and move its data aside' : 'no server' };
  }
  const running = !!zk && (await serverPid(zk)) > 0;
  const would = req.action === 'RESTART' || (req.action === 'START') !== running;
  const how = req.rollback ? ' on the trees it ran before' : '';
  const what = would ? `would ${req.action.toLowerCase()}${how}${zk ? '' : ' (once configured)'}` : undefined;
  return { changed: would, description: what ?? `already ${running ? 'running' : 'stopped'}` };
}

async function act(host: Host, state: StateFile, req: ServiceRequest, signal?: AbortSignal): Promise<StepResult> {
  const zk = await requireConfigured(state);
  if (zk.desired === 'removed' && req.action !== 'STOP') throw removedError(zk);
  // What the coordinator asks for is what the supervisor keeps: a stop it asked for is never undone.
  if (zk.desired !== 'removed') await state.updateZk({ desired: req.action === 'STOP' ? 'stopped' : 'running' });
  if (req.action === 'STOP') {
    const changed = await stopServer(state, zk, signal);
    return { changed, description: changed ? 'stopped' : 'already stopped' };
  }
  const running = (await serverPid(zk)) > 0;
  if (req.action === 'START' && running) return { changed: false, description: 'already running' };
  const wasRunning = await stopServer(state, zk, signal);
  const moved = req.rollback
    ? await activatePrevious(host, state)
    : req.activate
      ? await activatePending(host, state)
      : [];
  await startServer(state, (await state.read()).zookeeper!);
  const how = wasRunning ? 'restarted' : 'started';
  return { changed: true, description: moved.length ? `${how} on ${moved.join(', ')}` : how };
}

/**
 * The server left the ensemble: stopped, kept stopped (supervisor, boot, START), its unit disabled and its data
 * moved aside, never deleted. Again: nothing more to do.
 */
async function retire(host: Host, state: StateFile, signal?: AbortSignal): Promise<StepResult> {
  const zk = (await state.read()).zookeeper;
  if (!zk) return { changed: false, description: 'no ZooKeeper server was configured here' };
  const was = zk.desired;
  await state.updateZk({ desired: 'removed' });
  const stopped = await stopServer(state, zk, signal);
  const disabled = await disableZkUnit(host, '(the server was removed from the ensemble)');
  const moved = await moveDataAside(zk, 'removed');
  if (was === 'removed' && !stopped && !disabled.length && !moved.length) {
    return { changed: false, description: 'already removed from the ensemble' };
  }
  host.log.info('server removed from the ensemble', { myid: zk.myid, stopped, moved });
  const data = moved.length ? `data moved aside to ${moved.join(', ')}` : 'no data to move';
  return { changed: true, description: `removed: ${stopped ? 'stopped' : 'was not running'}, kept stopped; ${data}` };
}

function removedError(zk: ZooKeeperState): ZkfError {
  return new ZkfError(
    'SERVER_REMOVED',
    `this server (myid ${zk.myid}) was removed from the ensemble and is kept stopped; a deploy that names this ` +
      'host again gives it a new myid and starts it',
  );
}

async function requireConfigured(state: StateFile): Promise<ZooKeeperState> {
  const zk = (await state.read()).zookeeper;
  if (!zk) throw new ZkfError('NOT_FOUND', 'ZooKeeper is not configured on this host yet (ConfigureZooKeeper first)');
  return zk;
}

/** Stop the server the way it was started (a switch of supervisor stops it with the old one). */
export async function stopServer(state: StateFile, zk: ZooKeeperState, signal?: AbortSignal): Promise<boolean> {
  const by = zk.startedBy ?? zk.supervisor;
  const stopped = by === 'systemd' ? await systemdRunner.stop(signal) : await agentRunner.stop(zk, signal);
  if (stopped) await state.updateZk({ startedBy: undefined });
  return stopped;
}

/**
 * Start the server with its supervisor and record what it was started with. It must still be running a
 * moment later: a server that cannot start (a broken java.env) fails here with the tail of its output.
 */
export async function startServer(state: StateFile, zk: ZooKeeperState): Promise<boolean> {
  if (await serverPid(zk)) return false;
  await refuseUnnamedServer(state, zk);
  await refuseTakenClientPort(zk);
  await fs.mkdir(zk.logDir, { recursive: true });
  const startedWith = await identityOnDisk(zk, await startTrees(state, false));
  const pid = zk.supervisor === 'systemd' ? await systemdRunner.start() : await agentRunner.start(zk);
  await state.updateZk({ startedWith, startedBy: zk.supervisor });
  killPoint('start.after-script');
  if (!(await stayedUp(zk, pid))) {
    const why = (await agentRunner.exitOf(pid)) ?? 'it stopped at once';
    const tail = await logTail(zk, 20);
    throw new ZkfError('COMMAND_FAILED', `ZooKeeper did not stay up (${why}); log tail:\n${tail}`, {
      details: { exit: why },
    });
  }
  return true;
}

/**
 * The server's own name in zoo.cfg (`server.<myid>=zk2.zq.com:...`) must exist: zkfleet takes the DNS record of a
 * server it removes from the ensemble, so a host that was off at its removal and boots again does not start its
 * server on the old list (it could not bind its quorum ports either); the coordinator stops it for good at its
 * next contact. Only "no such name" refuses: a resolver that does not answer does not stop a server.
 */
async function refuseUnnamedServer(state: StateFile, zk: ZooKeeperState): Promise<void> {
  const self = (await state.read()).lastConfigure?.servers.find((s) => s.id === zk.myid)?.host;
  if (!self || isIP(self)) return;
  const missing = await lookup(self).then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'ENOTFOUND' || err.code === 'ENODATA',
  );
  if (!missing) return;
  const why =
    `${self}, this server's name in zoo.cfg, does not exist in DNS: a server removed from the ensemble is not ` +
    'started (zkfleet takes its record); if it was not removed, restore the record';
  throw new ZkfError('SERVER_REMOVED', why);
}

/**
 * No server of ours runs, yet something listens on its client port: another process (a ZooKeeper started
 * by hand, another service). The server would die of it ("Address already in use"), and its answer could
 * pass for the new server's below: refused before anything starts, saying so.
 */
async function refuseTakenClientPort(zk: ZooKeeperState): Promise<void> {
  if (!(await tcpOpen(zk.clientHost, zk.clientPort, STAY_UP_POLL_MS * 4))) return;
  const why =
    `${zk.clientHost}:${zk.clientPort}, this server's client port, is taken by another process (zkfleet ` +
    'runs no ZooKeeper here); stop it, or give this ensemble another zookeeper.clientPort';
  throw new ZkfError('COMMAND_FAILED', why);
}

/**
 * Whether a just started server is still up after STAY_UP_MS. The wait ends early once it answers on its
 * client port: ZooKeeper serves that port only after it has loaded its data (3.4 and 3.5+ alike), so what
 * makes a server die at its start is behind it.
 */
async function stayedUp(zk: ZooKeeperState, pid: number): Promise<boolean> {
  const deadline = Date.now() + STAY_UP_MS;
  while (Date.now() < deadline) {
    if (!pid || !pidAlive(pid)) return false;
    if (await answersOnClientPort(zk)) return true;
    await sleep(STAY_UP_POLL_MS);
  }
  return !!pid && pidAlive(pid);
}

function answersOnClientPort(zk: ZooKeeperState): Promise<boolean> {
  return fourLetterWord(zk.clientHost, zk.clientPort, 'srvr', STAY_UP_POLL_MS * 4).then(
    () => true,
    () => false,
  );
}
