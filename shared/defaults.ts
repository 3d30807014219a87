/**
 * The one source of every default: the ensemble file's and the agents' schemas take their defaults from
 * here, and no other module restates them. The agent never invents a value the coordinator did not send
 * (a missing field is INVALID_ARGUMENT); the defaults are applied once, where the file is read.
 */
export const JDK_DEFAULTS = Object.freeze({ installDir: '/usr/java', linkName: 'jdk' });

export const ZOOKEEPER_DEFAULTS = Object.freeze({
  installDir: '/opt',
  linkName: 'zookeeper',
  dataDir: '/data/zookeeper/data',
  dataLogDir: '/data/zookeeper/logs',
  clientPort: 2181,
  quorumPort: 2888,
  electionPort: 3888,
  tickTime: 2000,
  initLimit: 10,
  syncLimit: 5,
  serverName: 'zk{myid}',
  /** Static membership unless the file turns ZooKeeper's dynamic reconfiguration on. */
  reconfig: false,
  /** The registry's root znode that zookeeper.auth puts its ACL on (Dubbo's default group). */
  registryRoot: '/dubbo',
  /** Client TLS's port (secureClientPort), when the file turns it on. */
  secureClientPort: 2281,
  /** ZooKeeper's PrometheusMetricsProvider port (metricsProvider.httpPort), when the file turns it on. */
  prometheusPort: 7000,
  /** The agent's status needs srvr and mntr; ruok is what load balancers and humans try first. */
  fourLetterWords: 'srvr,mntr,ruok',
  snapRetainCount: 3,
  purgeIntervalHours: 24,
  adminServerPort: 8080,
  /** A deploy refuses a host with less free space under dataDir/dataLogDir; status warns below it. */
  minFreeMB: 256,
  supervisor: 'agent' as const,
  user: 'zookeeper',
  logMaxSizeMB: 100,
  logKeep: 10,
  logLevel: 'INFO' as const,
  /** Without zookeeper.heapMB: a quarter of the host's memory, at least 256 MB, at most 2 GB. */
  heapFraction: 0.25,
  heapMinMB: 256,
  heapCapMB: 2048,
});

/** The heap a server gets on a host with `memoryBytes` when the file does not say. */
export function defaultHeapMB(memoryBytes: number): number {
  const quarter = Math.floor((memoryBytes * ZOOKEEPER_DEFAULTS.heapFraction) / 2 ** 20);
  return Math.max(ZOOKEEPER_DEFAULTS.heapMinMB, Math.min(ZOOKEEPER_DEFAULTS.heapCapMB, quarter));
}

/** Below either, a disk is "low": the fraction is for large disks, the floor for small ones. */
export const LOW_DISK = Object.freeze({ freeFraction: 0.05 });

export const IMAGE_DEFAULTS = Object.freeze({
  timezone: 'Asia/Shanghai',
  jmxPort: 12346,
  jmxConfig: "---\nrules:\n - pattern: '.*'\n",
  workDir: '/data/dockerfile',
});

/** leaseMs: a deploy's lease outlives a coordinator killed mid-deploy by this much at most. */
export const TIMEOUT_DEFAULTS = Object.freeze({ connectMs: 5_000, quorumMs: 90_000, leaseMs: 30_000 });

export const AGENT_DEFAULTS = Object.freeze({
  root: '/',
  stateDir: '/var/lib/zkfleet-agent',
  reportIntervalMs: 10_000,
  /** Shortens ZooKeeper's election back-off after an outage from ~60 s to a few seconds. */
  jvmFlags: '-Dzookeeper.fastleader.maxNotificationInterval=5000',
  maxExecOutputBytes: 16 * 1024 * 1024,
  /** The server's rotated log and console output, outside the versioned trees (an upgrade keeps them). */
  zookeeperLogDir: '/var/log/zookeeper',
  dnsAnswerTimeoutMs: 10_000,
});

/** `coordinator backup`: verified backups kept per ensemble (older ones are removed after a new one). */
export const BACKUP_DEFAULTS = Object.freeze({ keep: 7 });
