import type { Supervisor, ZooKeeperState } from '../daemon/state';
import { AgentRunner } from './process';
import { SystemdRunner, type UnitState } from './systemd';

/** The two ways a server is kept running on a host (`zookeeper.supervisor`), one instance each. */
export const agentRunner = new AgentRunner();
export const systemdRunner = new SystemdRunner();

/** The running server's pid, asked of whichever supervisor started it (`unit`: systemd's answer, if asked). */
export function serverPid(
  zk: ZooKeeperState,
  by: Supervisor = zk.startedBy ?? zk.supervisor,
  unit?: Promise<UnitState | undefined>,
): Promise<number> {
  return by === 'systemd' ? systemdRunner.pid(unit) : agentRunner.pid(zk);
}
