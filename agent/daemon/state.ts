import type { ClientTlsMode, QuorumStage } from '../../shared/zookeeper/tls';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';
import { SerialQueue } from '../../shared/serial-queue';
import type { ConfigureZooKeeperRequest__Output } from '../../shared/generated/wire';

/** What a server runs with: its files, user and supervisor, and the ZooKeeper and JDK trees it starts from. */
export interface RunParts {
  cfg: string;
  javaEnv: string;
  myid: string;
  logConfig: string;
  /** The TLS key and trust stores' text ('' without TLS). */
  tls: string;
  user: string;
  supervisor: string;
  zookeeperTree: string;
  jdkTree: string;
}

/** The identity to compare: files by digest, the rest by name. A restart is due while the running one differs. */
export type RunIdentity = Record<keyof RunParts, string>;

export type Supervisor = 'agent' | 'systemd';
export type ProductKind = 'jdk' | 'zookeeper';

/** Where a product's trees live and which one waits for the server's restart. */
export interface TreeState {
  installDir: string; // real
  linkPath: string; // real
  /** A tree staged beside the current one: it becomes current at the server's next restart. */
  pending?: string;
}

/** The trees the servers started from, one entry per change, newest last (a rollback goes one back). */
export interface Activation {
  zookeeper?: string;
  jdk?: string;
  at: string;
}
/** What the server should be doing; `removed`: it left the ensemble and is never started again here. */
export type Desired = 'running' | 'stopped' | 'removed';

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
  /** Quorum TLS: the stores' directory (real), the migration stage configured, the certificate's expiry. */
  tlsDir?: string;
  quorumTls?: QuorumStage;
  clientTls?: ClientTlsMode;
  tlsNotAfter?: string;
  /** What the server should be doing: set by start, restart and stop, kept by the supervisor. */
  desired?: Desired;
  /** What the running server was started with (its files, user, trees): a restart is due while it differs. */
  startedWith?: RunIdentity | string; // a string: one digest, recorded by agents before 0.3
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
  trees?: Partial<Record<ProductKind, TreeState>>;
  activations?: Activation[];
  /** The last configuration asked for: rendered again into a tree that becomes current. */
  lastConfigure?: ConfigureZooKeeperRequest__Output;
}

/** A change: fields to set, or a function of the state as it is when the change is applied. */
type Patch = Partial<AgentState> | ((now: AgentState) => Partial<AgentState>);

export class StateFile {
  private cache: AgentState | undefined;
  private readonly writes = new SerialQueue();
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

  /** Updates are applied one after another: two at once (the supervisor's, a lease's) never undo each other. */
  update(patch: Patch): Promise<void> {
    return this.writes.run(() => this.write(patch));
  }

  private async write(patch: Patch): Promise<void> {
    const now = await this.read();
    const next = { ...now, ...(typeof patch === 'function' ? patch(now) : patch) };
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    this.cache = next;
  }

  /** Change some fields of the ZooKeeper state (which must exist). */
  updateZk(patch: Partial<ZooKeeperState>): Promise<void> {
    return this.update((s) => (s.zookeeper ? { zookeeper: { ...s.zookeeper, ...patch } } : {}));
  }
}
