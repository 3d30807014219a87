import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../shared/errors';
import { killPoint } from '../shared/fault';
import type { StepResult } from '../shared/proto-types/zkfleet/v1/StepResult';
import type { ZooKeeperServiceRequest__Output } from '../shared/proto-types/zkfleet/v1/ZooKeeperServiceRequest';
import type { ZooKeeperStatus } from '../shared/proto-types/zkfleet/v1/ZooKeeperStatus';
import type { StateFile, ZooKeeperState } from './state';
import { identityOnDisk, logTail, pidAlive } from './zk-process';
import { agentRunner, serverPid, systemdRunner } from './zk-runners';
import { zooKeeperStatus } from './zk-status';

export type ServiceAction = ZooKeeperServiceRequest__Output['action'];
type Reply = { result: StepResult; status: ZooKeeperStatus };

/**
 * One start/stop/restart at a time on a host: the coordinator's calls, a retry, a second coordinator and
 * the agent's own supervisor all go through this queue, so none undoes or races another.
 */
class ServiceQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  get busy(): boolean {
    return this.pending > 0;
  }
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const next = this.tail.then(fn).finally(() => this.pending--);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
export const serviceQueue = new ServiceQueue();

export function zooKeeperService(
  state: StateFile,
  action: ServiceAction,
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<Reply> {
  if (action === 'STATUS') return withStatus(state, { changed: false, description: 'status only' });
  if (dryRun) return plan(state, action).then((result) => withStatus(state, result));
  return serviceQueue.run(() => act(state, action, signal)).then((result) => withStatus(state, result));
}

async function withStatus(state: StateFile, result: StepResult): Promise<Reply> {
  return { result, status: await zooKeeperStatus(state, 30) };
}

async function plan(state: StateFile, action: ServiceAction): Promise<StepResult> {
  const zk = (await state.read()).zookeeper;
  const running = !!zk && (await serverPid(zk)) > 0;
  const would = action === 'RESTART' || (action === 'START') !== running;
  const what = would ? `would ${action.toLowerCase()}${zk ? '' : ' (once configured)'}` : undefined;
  return { changed: would, description: what ?? `already ${running ? 'running' : 'stopped'}` };
}

async function act(state: StateFile, action: ServiceAction, signal?: AbortSignal): Promise<StepResult> {
  const zk = await requireConfigured(state);
  // What the coordinator asks for is what the supervisor keeps: a stop it asked for is never undone.
  await state.updateZk({ desired: action === 'STOP' ? 'stopped' : 'running' });
  if (action === 'START') {
    const changed = await startServer(state, zk);
    return { changed, description: changed ? 'started' : 'already running' };
  }
  if (action === 'STOP') {
    const changed = await stopServer(state, zk, signal);
    return { changed, description: changed ? 'stopped' : 'already stopped' };
  }
  const wasRunning = await stopServer(state, zk, signal);
  await startServer(state, (await state.read()).zookeeper!);
  return { changed: true, description: wasRunning ? 'restarted' : 'started' };
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
  await fs.mkdir(zk.logDir, { recursive: true });
  const startedWith = await identityOnDisk(zk);
  const pid = zk.supervisor === 'systemd' ? await systemdRunner.start() : await agentRunner.start(zk);
  await state.updateZk({ startedWith, startedBy: zk.supervisor });
  killPoint('start.after-script');
  await sleep(1500);
  if (!pid || !pidAlive(pid)) {
    const why = agentRunner.exitOf(pid) ?? 'it stopped at once';
    const tail = await logTail(zk, 20);
    throw new ZkfError('COMMAND_FAILED', `ZooKeeper did not stay up (${why}); log tail:\n${tail}`, {
      details: { exit: why },
    });
  }
  return true;
}
