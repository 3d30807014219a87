import { ZkfError } from '../errors';
import { escapePropertyValue, propertyValueProblem } from './properties';

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
]);

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
    ['clientPort', c.clientPort],
    ...(c.clientPortAddress ? [['clientPortAddress', c.clientPortAddress] as [string, string]] : []),
    ['4lw.commands.whitelist', c.fourLetterWords],
    ['autopurge.snapRetainCount', c.autopurgeSnapRetainCount],
    ['autopurge.purgeInterval', c.autopurgePurgeInterval],
    ...(c.adminServerAddress
      ? ([
          ['admin.serverAddress', c.adminServerAddress],
          ['admin.serverPort', c.adminServerPort ?? 0],
        ] as Array<[string, string | number]>)
      : ([['admin.enableServer', 'false']] as Array<[string, string]>)),
    ...(c.observer ? [['peerType', 'observer'] as [string, string]] : []),
    ...(c.snapshotTrustEmpty ? [['snapshot.trust.empty', 'true'] as [string, string]] : []),
  ];
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
    ...[...c.servers].sort((a, b) => a.id - b.id).map(serverLine),
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
