import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readFileOr, writeFileAtomic } from '../shared/fs-atomic';

export type Supervisor = 'agent' | 'systemd';
export type Desired = 'running' | 'stopped';

/** What the agent last wrote, so status, health reports and drift checks need no arguments. */
export interface ZooKeeperState {
  installDir: string; // logical, e.g. /opt
  home: string; // real path of <installDir>/zookeeper
  cfgFile: string; // real path of zoo.cfg
  javaEnvFile: string;
  logConfigFile: string; // real path of log4j.properties or logback.xml
  dataDir: string; // real
  dataLogDir: string; // real
  clientHost: string;
  clientPort: number;
  myid: number;
  cfgSha256: string;
  myidSha256: string;
  logDir: string; // real: the server's rotated log and the console output
  jdkHome: string; // real JAVA_HOME
  user: string;
  uid: number;
  gid: number;
  supervisor: Supervisor;
  /** What the server should be doing: set by start, restart and stop, kept by the supervisor. */
  desired?: Desired;
  /** The identity of what the running server was started with: a restart is due while it differs. */
  startedWith?: string;
  /** Which supervisor started the running server (a switch stops it the way it was started). */
  startedBy?: Supervisor;
  /** Times the server was started again after it stopped by itself, and how it last did. */
  restarts?: number;
  lastExit?: string;
  lastExitLog?: string;
  /** A crash loop backs off: the supervisor's next attempt (epoch ms). */
  nextAttemptAt?: number;
}

export interface AgentState {
  zookeeper?: ZooKeeperState;
}

export class StateFile {
  private cache: AgentState | undefined;
  constructor(private readonly file: string) {}

  static in(stateDir: string): StateFile {
    return new StateFile(path.join(stateDir, 'state.json'));
  }

  async read(): Promise<AgentState> {
    if (!this.cache) {
      const text = await readFileOr(this.file);
      this.cache = text ? (JSON.parse(text) as AgentState) : {};
    }
    return this.cache;
  }

  async update(patch: Partial<AgentState>): Promise<void> {
    const next = { ...(await this.read()), ...patch };
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    this.cache = next;
  }

  /** Change some fields of the ZooKeeper state (which must exist). */
  async updateZk(patch: Partial<ZooKeeperState>): Promise<void> {
    const zk = (await this.read()).zookeeper;
    if (zk) await this.update({ zookeeper: { ...zk, ...patch } });
  }
}
