import { ZkfError } from './errors';

/**
 * zoo.cfg keys zkfleet manages itself; `extra` may not set them. Extra keys are validated so that no value
 * can smuggle a second key (a newline) into the file.
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
]);

const KEY = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;

/** Why an extra key/value is refused, or undefined. Shared by the ensemble file check and the agent. */
export function extraKeyProblem(key: string, value: string): string | undefined {
  if (!KEY.test(key)) return `"${key}" is not a valid zoo.cfg key (letters, digits, . _ -)`;
  if (MANAGED_KEYS.has(key) || /^server\.\d+$/.test(key) || /^group\.|^weight\./.test(key))
    return `"${key}" is managed by zkfleet; set it with its own field, not in extra`;
  if (/[\r\n\0]/.test(value))
    return `the value of "${key}" contains a line break: it would smuggle another key into zoo.cfg`;
  if (value.trim() !== value || value === '') return `the value of "${key}" is empty or has leading/trailing spaces`;
  return undefined;
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
  extra: Record<string, string>;
  servers: Array<{ id: number; host: string; quorumPort: number; electionPort: number; observer: boolean }>;
}

export function renderZooCfg(c: ZooCfgInput): string {
  for (const [k, v] of Object.entries(c.extra)) {
    const why = extraKeyProblem(k, v);
    if (why) throw new ZkfError('INVALID_ARGUMENT', `zookeeper.extra: ${why}`);
  }
  if (!/^[a-z0-9,*]+$/.test(c.fourLetterWords))
    throw new ZkfError(
      'INVALID_ARGUMENT',
      `4lw whitelist "${c.fourLetterWords}" must be a comma-separated list of words`,
    );
  const lines = [
    '# Managed by zkfleet: a deploy rewrites this file, and a hand edit is reported as drift.',
    `tickTime=${c.tickTime}`,
    `initLimit=${c.initLimit}`,
    `syncLimit=${c.syncLimit}`,
    `dataDir=${c.dataDir}`,
    `dataLogDir=${c.dataLogDir}`,
    `clientPort=${c.clientPort}`,
    ...(c.clientPortAddress ? [`clientPortAddress=${c.clientPortAddress}`] : []),
    `4lw.commands.whitelist=${c.fourLetterWords}`,
    `autopurge.snapRetainCount=${c.autopurgeSnapRetainCount}`,
    `autopurge.purgeInterval=${c.autopurgePurgeInterval}`,
    ...(c.adminServerAddress
      ? [`admin.serverAddress=${c.adminServerAddress}`, `admin.serverPort=${c.adminServerPort || 8080}`]
      : ['admin.enableServer=false']),
    ...(c.observer ? ['peerType=observer'] : []),
    ...Object.keys(c.extra)
      .sort()
      .map((k) => `${k}=${c.extra[k]}`),
    ...[...c.servers]
      .sort((a, b) => a.id - b.id)
      .map((s) => `server.${s.id}=${s.host}:${s.quorumPort}:${s.electionPort}${s.observer ? ':observer' : ''}`),
  ];
  return lines.join('\n') + '\n';
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
