import { ZkfError } from '../shared/errors';
import type { StepResult } from '../shared/proto-types/zkfleet/v1/StepResult';
import type { ZooKeeperServiceRequest__Output } from '../shared/proto-types/zkfleet/v1/ZooKeeperServiceRequest';
import type { ZooKeeperStatus } from '../shared/proto-types/zkfleet/v1/ZooKeeperStatus';
import type { StateFile, ZooKeeperState } from './state';
import { serverPid, startServer, stopServer } from './zk-process';
import { zooKeeperStatus } from './zk-status';

export type ServiceAction = ZooKeeperServiceRequest__Output['action'];
type Reply = { result: StepResult; status: ZooKeeperStatus };

// One start/stop/restart at a time on a host: two callers (a retry, a second coordinator) racing
// zkServer.sh would fight over the pid file.
let serviceQueue: Promise<unknown> = Promise.resolve();

export function zooKeeperService(
  state: StateFile,
  action: ServiceAction,
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<Reply> {
  if (action === 'STATUS') return withStatus(state, { changed: false, description: 'status only' });
  if (dryRun) return plan(state, action).then((result) => withStatus(state, result));
  const run = serviceQueue.then(() => act(state, action, signal));
  serviceQueue = run.catch(() => undefined);
  return run.then((result) => withStatus(state, result));
}

async function withStatus(state: StateFile, result: StepResult): Promise<Reply> {
  return { result, status: await zooKeeperStatus(state, 30) };
}

async function plan(state: StateFile, action: ServiceAction): Promise<StepResult> {
  const zk = (await state.read()).zookeeper;
  const running = !!zk && (await serverPid(zk.dataDir)) > 0;
  const would = action === 'RESTART' || (action === 'START') !== running;
  const what = would ? `would ${action.toLowerCase()}${zk ? '' : ' (once configured)'}` : undefined;
  return { changed: would, description: what ?? `already ${running ? 'running' : 'stopped'}` };
}

async function act(state: StateFile, action: ServiceAction, signal?: AbortSignal): Promise<StepResult> {
  const zk = await requireConfigured(state);
  if (action === 'START') {
    const changed = await startServer(state, zk, signal);
    return { changed, description: changed ? 'started' : 'already running' };
  }
  if (action === 'STOP') {
    const changed = await stopServer(zk, signal);
    return { changed, description: changed ? 'stopped' : 'already stopped' };
  }
  const wasRunning = await stopServer(zk, signal);
  await startServer(state, zk, signal);
  return { changed: true, description: wasRunning ? 'restarted' : 'started' };
}

async function requireConfigured(state: StateFile): Promise<ZooKeeperState> {
  const zk = (await state.read()).zookeeper;
  if (!zk) throw new ZkfError('NOT_FOUND', 'ZooKeeper is not configured on this host yet (ConfigureZooKeeper first)');
  return zk;
}
