import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readFileOr, writeFileAtomic } from '../shared/fs-atomic';

/** What the agent last wrote, so status, health reports and drift checks need no arguments. */
export interface ZooKeeperState {
  installDir: string; // logical, e.g. /opt
  home: string; // real path of <installDir>/zookeeper
  cfgFile: string; // real path of zoo.cfg
  javaEnvFile: string;
  dataDir: string; // real
  dataLogDir: string; // real
  clientHost: string;
  clientPort: number;
  myid: number;
  cfgSha256: string;
  myidSha256: string;
  logDir: string; // real: where zkServer.sh writes its .out file
  jdkHome: string; // real JAVA_HOME
  /** sha256 of zoo.cfg + java.env + myid when zkfleet last started the server: a restart is due while it differs. */
  startedWith?: string;
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
}
