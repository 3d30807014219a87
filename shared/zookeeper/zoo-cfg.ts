import { ZkfError } from '../errors';
import { escapePropertyValue, propertyValueProblem } from './properties';
import { clientTlsPairs, quorumTlsPairs, TLS_KEYS, type ClientTlsMode, type QuorumStage } from './tls';

/**
 * zoo.cfg keys zkfleet manages itself; `extra` may not set them. Every value is written so that
 * java.util.Properties reads back exactly what was meant (shared/zookeeper/properties.ts), or refused.
 */
export const MANAGED_KEYS = new Set([
  'tickTime',
  'initLimit',
  'syncLimit',
  'dataDir',
  'dataLogDir',
  'clientPort',
  'clientPortAddress',
  '4lw.commands.whitelist',
  'autopurge.snapRetainCount',
  'autopurge.purgeInterval',
  'admin.enableServer',
  'admin.serverAddress',
  'admin.serverPort',
  'peerType',
  'snapshot.trust.empty',
  'reconfigEnabled',
  'standaloneEnabled',
  'dynamicConfigFile',
  'DigestAuthenticationProvider.superDigest',
  'metricsProvider.className',
  'metricsProvider.httpPort',
  'metricsProvider.httpHost',
  'enforce.auth.enabled',
  'enforce.auth.schemes',
  ...TLS_KEYS,
]);

/**
 * With reconfig on, ZooKeeper rewrites zoo.cfg itself after a membership change (QuorumPeerConfig.editStaticConfig:
 * comments dropped, keys in hash order, `dynamicConfigFile` pointed at `zoo.cfg.dynamic.<version>`, and the
 * client port moved into the dynamic file). zkfleet compares such a file by its settings, not its text, and the
 * pointer is ZooKeeper's.
 */
export const ZK_OWNED_KEYS = new Set(['dynamicConfigFile']);

/** Plain keys only: a key never needs escaping, so no key can be read back as another. */
const KEY = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;

/** Why an extra key/value is refused, or undefined. Shared by the ensemble file check and the agent. */
export function extraKeyProblem(key: string, value: string): string | undefined {
  if (!KEY.test(key)) return `"${key}" is not a valid zoo.cfg key (a letter, then letters, digits, . _ -)`;
  if (MANAGED_KEYS.has(key) || /^server\.\d+$/.test(key) || /^group\.|^weight\./.test(key)) {
    return `"${key}" is managed by zkfleet; set it with its own field, not in extra`;
  }
  const why = propertyValueProblem(value);
  return why ? `the value of "${key}" ${why}` : undefined;
}

export interface ZooCfgServer {
  id: number;
  host: string;
  quorumPort: number;
  electionPort: number;
  observer: boolean;
}

export interface ZooCfgInput {
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  dataDir: string;
  dataLogDir: string;
  clientPort: number;
  clientPortAddress?: string;
  fourLetterWords: string;
  autopurgeSnapRetainCount: number;
  autopurgePurgeInterval: number;
  adminServerAddress?: string;
  adminServerPort?: number;
  observer: boolean;
  /** Only while a 3.4 dataDir without a snapshot moves to 3.5+ (ZooKeeper's upgrade FAQ). */
  snapshotTrustEmpty?: boolean;
  /** Dynamic reconfiguration: the server list and the client port live in `file` (ZooKeeper's from then on). */
  dynamic?: { file: string };
  /** The super user zkfleet's own calls authenticate as (reconfig, ACLs), by its digest. */
  superDigest?: string;
  /** Clients must authenticate (digest) before anything else: 3.7+ refuses an anonymous one. */
  enforceAuth?: boolean;
  /** ZooKeeper's PrometheusMetricsProvider on this port, bound to `host` when given (3.8+). */
  prometheus?: { port: number; host?: string };
  /**
   * TLS: the quorum migration's stage this server runs at, client TLS and its port, the directory of the PEM
   * stores both use.
   */
  tls?: { stage: QuorumStage; client: ClientTlsMode; securePort: number; dir: string };
  extra: Record<string, string>;
  servers: ZooCfgServer[];
}

function managedPairs(c: ZooCfgInput): Array<[string, string | number]> {
  return [
    ['tickTime', c.tickTime],
    ['initLimit', c.initLimit],
    ['syncLimit', c.syncLimit],
    ['dataDir', c.dataDir],
    ['dataLogDir', c.dataLogDir],
    ...(c.dynamic ? [] : clientPairs(c)),
    ['4lw.commands.whitelist', c.fourLetterWords],
    ['autopurge.snapRetainCount', c.autopurgeSnapRetainCount],
    ['autopurge.purgeInterval', c.autopurgePurgeInterval],
    ...(c.adminServerAddress
      ? ([
          ['admin.serverAddress', c.adminServerAddress],
          ['admin.serverPort', c.adminServerPort ?? 0],
        ] as Array<[string, string | number]>)
      : ([['admin.enableServer', 'false']] as Array<[string, string]>)),
    ...(c.observer && !c.dynamic ? [['peerType', 'observer'] as [string, string]] : []),
    ...(c.snapshotTrustEmpty ? [['snapshot.trust.empty', 'true'] as [string, string]] : []),
    ...(c.prometheus ? providerPairs(c.prometheus) : []),
    ...(c.superDigest ? [['DigestAuthenticationProvider.superDigest', c.superDigest] as [string, string]] : []),
    ...(c.enforceAuth
      ? ([
          ['enforce.auth.enabled', 'true'],
          ['enforce.auth.schemes', 'digest'],
        ] as Array<[string, string]>)
      : []),
    ...(c.tls ? tlsPairs(c.tls, c.extra) : []),
    ...(c.dynamic ? dynamicPairs(c.dynamic) : []),
  ];
}

/** Quorum and client TLS; Netty once, and an operator's own serverCnxnFactory in `extra` kept (written there). */
function tlsPairs(t: NonNullable<ZooCfgInput['tls']>, extra: Record<string, string>): Array<[string, string]> {
  const pairs = new Map([...quorumTlsPairs(t.stage, t.dir), ...clientTlsPairs(t.client, t.securePort, t.dir)]);
  return [...pairs].filter(([k]) => !(k in extra));
}

function providerPairs(p: { port: number; host?: string }): Array<[string, string | number]> {
  return [
    ['metricsProvider.className', 'org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider'],
    ['metricsProvider.httpPort', p.port],
    ...(p.host ? [['metricsProvider.httpHost', p.host] as [string, string]] : []),
  ];
}

function clientPairs(c: ZooCfgInput): Array<[string, string | number]> {
  return [
    ['clientPort', c.clientPort],
    ...(c.clientPortAddress ? [['clientPortAddress', c.clientPortAddress] as [string, string]] : []),
  ];
}

function dynamicPairs(d: { file: string }): Array<[string, string]> {
  return [
    ['reconfigEnabled', 'true'],
    ['standaloneEnabled', 'false'],
    ['dynamicConfigFile', d.file],
  ];
}

/**
 * The dynamic file's lines, `server.N=host:quorum:election:participant;client` (the client address is the
 * server's own name when the ensemble binds it, else every address). ZooKeeper writes `version=` itself.
 */
export function renderDynamicCfg(c: Pick<ZooCfgInput, 'servers' | 'clientPort' | 'clientPortAddress'>): string {
  const line = (s: ZooCfgServer) => {
    const client = c.clientPortAddress ? `${s.host}:${c.clientPort}` : `0.0.0.0:${c.clientPort}`;
    const role = s.observer ? 'observer' : 'participant';
    return `server.${s.id}=${s.host}:${s.quorumPort}:${s.electionPort}:${role};${client}`;
  };
  return (
    [...c.servers]
      .sort((a, b) => a.id - b.id)
      .map(line)
      .join('\n') + '\n'
  );
}

/**
 * The members a dynamic file or a config read from ZooKeeper lists, by myid: "1,2,4,5(observer)". The agents
 * report it from their files, the coordinator compares it with what a reconfig should have made.
 */
export function dynamicMembers(text: string): string {
  return [...parseZooCfg(text)]
    .filter(([k]) => /^server\.\d+$/.test(k))
    .map(([k, v]) => ({ id: Number(k.slice('server.'.length)), observer: /:observer\b/.test(v) }))
    .sort((a, b) => a.id - b.id)
    .map((m) => `${m.id}${m.observer ? '(observer)' : ''}`)
    .join(',');
}

/** The config version ZooKeeper put in a dynamic file's name (`zoo.cfg.dynamic.100000002`), or "". */
export function dynamicVersion(file: string): string {
  return /\.dynamic\.([0-9a-f]+)$/.exec(file)?.[1] ?? '';
}

/**
 * A zoo.cfg as its settings: with reconfig on, key=value pairs sorted and without the keys ZooKeeper owns, so
 * ZooKeeper's own rewrite of the file reads as the same settings; otherwise the text itself.
 */
export function cfgSettings(text: string): string {
  const pairs = parseZooCfg(text);
  if (pairs.get('reconfigEnabled') !== 'true') return text;
  return [...pairs]
    .filter(([k]) => !ZK_OWNED_KEYS.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
}

function serverLine(s: ZooCfgServer): [string, string] {
  return [`server.${s.id}`, `${s.host}:${s.quorumPort}:${s.electionPort}${s.observer ? ':observer' : ''}`];
}

export function renderZooCfg(c: ZooCfgInput): string {
  for (const [k, v] of Object.entries(c.extra)) {
    const why = extraKeyProblem(k, v);
    if (why) throw new ZkfError('INVALID_ARGUMENT', `zookeeper.extra: ${why}`);
  }
  if (!/^[a-z0-9,*]+$/.test(c.fourLetterWords)) {
    throw new ZkfError(
      'INVALID_ARGUMENT',
      `4lw whitelist "${c.fourLetterWords}" must be a comma-separated list of words`,
    );
  }
  const pairs: Array<[string, string | number]> = [
    ...managedPairs(c),
    ...Object.keys(c.extra)
      .sort()
      .map((k): [string, string] => [k, c.extra[k]]),
    ...(c.dynamic ? [] : [...c.servers].sort((a, b) => a.id - b.id).map(serverLine)),
  ];
  const lines = pairs.map(([k, v]) => {
    const why = propertyValueProblem(String(v));
    if (why) throw new ZkfError('INVALID_ARGUMENT', `zoo.cfg ${k}: the value ${why}`);
    return `${k}=${escapePropertyValue(String(v))}`;
  });
  return (
    ['# Managed by zkfleet: a deploy rewrites this file, and a hand edit is reported as drift.', ...lines].join('\n') +
    '\n'
  );
}

/** key=value pairs of a zoo.cfg (comments and blank lines skipped); for diffs and for reading ports. */
export function parseZooCfg(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/** "tickTime 2000→3000, server.4 added" */
export function describeCfgChange(before: string | undefined, after: string): string {
  if (before === undefined) return 'zoo.cfg written';
  const a = parseZooCfg(before);
  const b = parseZooCfg(after);
  const parts: string[] = [];
  for (const [k, v] of b) {
    if (!a.has(k)) parts.push(`${k} added`);
    else if (a.get(k) !== v) parts.push(`${k} ${a.get(k)}→${v}`);
  }
  for (const k of a.keys()) if (!b.has(k)) parts.push(`${k} removed`);
  return parts.length ? `zoo.cfg: ${parts.join(', ')}` : 'zoo.cfg: comments/format';
}
