import { ZkfError } from '../../shared/errors';
import { run, runFailure } from '../daemon/run';
import type { ZooKeeperState } from '../daemon/state';
import { isServerPid, pidFileOf } from './process';

export const ZK_UNIT = 'zookeeper.service';
export const ZK_UNIT_FILE = `/etc/systemd/system/${ZK_UNIT}`;

/**
 * systemd as supervisor: a zookeeper.service unit the agent writes (the server in the foreground, as its
 * user, restarted on failure, enabled at boot), driven with systemctl. The agent then only records what it
 * asked for; systemd does the restarting and counts it.
 */
export function renderZkUnit(zk: ZooKeeperState): string {
  return `# Managed by zkfleet (zookeeper.supervisor: systemd); a deploy rewrites it.
[Unit]
Description=ZooKeeper server (zkfleet)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${zk.user}
Group=${zk.user}
Environment=JAVA_HOME=${zk.jdkHome}
Environment=ZOO_LOG_DIR=${zk.logDir}
Environment=ZOOPIDFILE=${pidFileOf(zk)}
WorkingDirectory=${zk.dataDir}
ExecStart=${zk.home}/bin/zkServer.sh start-foreground ${zk.cfgFile}
# A JVM stopped with SIGTERM exits 143: that is a clean stop, not a failure.
SuccessExitStatus=143
Restart=on-failure
RestartSec=2s
# No start limit: a server that keeps failing is retried every RestartSec. [Service]'s name for it, which every
# systemd from 219 up reads (StartLimitIntervalSec= belongs in [Unit] and is ignored here).
StartLimitInterval=0
LimitNOFILE=65536
TimeoutStopSec=30s

[Install]
WantedBy=multi-user.target
`;
}

export async function systemctl(args: string[], signal?: AbortSignal): Promise<string> {
  try {
    return (await run('systemctl', args, { timeout: 90_000, signal })).stdout;
  } catch (err) {
    throw new ZkfError('COMMAND_FAILED', runFailure(`systemctl ${args.join(' ')}`, err), { cause: err });
  }
}

export interface UnitState {
  mainPid: number;
  restarts: number;
  lastExit: string;
  active: string;
}

export async function unitState(): Promise<UnitState> {
  const out = await systemctl([
    'show',
    '-p',
    'MainPID,NRestarts,ExecMainCode,ExecMainStatus,ActiveState,Result',
    ZK_UNIT,
  ]);
  const p = Object.fromEntries(out.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  // ExecMainCode: 1 exited, 2 killed, 3 dumped (the status is then a signal number).
  const code = Number(p.ExecMainCode);
  const lastExit = code === 1 ? `exit ${p.ExecMainStatus}` : code >= 2 ? `killed by signal ${p.ExecMainStatus}` : '';
  return { mainPid: Number(p.MainPID) || 0, restarts: Number(p.NRestarts) || 0, lastExit, active: p.ActiveState ?? '' };
}

export class SystemdRunner {
  /** `known`: a `systemctl show` already under way for the same question (a status asks it once). */
  async pid(known?: Promise<UnitState | undefined>): Promise<number> {
    const { mainPid } = (await known) ?? (await unitState());
    return (await isServerPid(mainPid)) ? mainPid : 0;
  }

  async start(): Promise<number> {
    await systemctl(['start', ZK_UNIT]);
    return (await unitState()).mainPid;
  }

  async stop(signal?: AbortSignal): Promise<boolean> {
    const was = (await unitState()).active === 'active';
    await systemctl(['stop', ZK_UNIT], signal);
    return was;
  }
}
