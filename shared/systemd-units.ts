/**
 * Units for the systemd a host runs, from 219 (CentOS 7) up: a directive the host's systemd does not know is
 * left out, and the sandbox the agent runs in is built from what it does know. Pure: bootstrap renders the
 * agent's unit with it, the agent the ZooKeeper unit; test/unit/systemd-units.test.ts checks 219, 239 and 252.
 */

/** The systemd version that first knew each directive zkfleet's units use (systemd's NEWS); absent: older. */
export const DIRECTIVE_SINCE: Readonly<Record<string, number>> = {
  ReadWritePaths: 231,
  RestrictRealtime: 231,
  ProtectKernelTunables: 232,
  ProtectKernelModules: 232,
  ProtectControlGroups: 232,
  StateDirectory: 235,
  StateDirectoryMode: 235,
  LockPersonality: 235,
  ProtectHostname: 242,
  RestrictSUIDSGID: 242,
  ProtectKernelLogs: 244,
  ProtectClock: 245,
};

/** The oldest systemd the units are made for. */
export const MIN_SYSTEMD = 219;

/**
 * Without `ProtectSystem=strict` (232) the whole tree cannot be read-only with holes: `full` keeps /usr, /boot
 * and /etc read-only, and only the paths under them the agent writes are opened (all exist on every host: the
 * tmpfiles entry makes /usr/java).
 */
const FULL_WRITABLE = '/usr/java /etc/profile.d /etc/systemd/system';

/** The unit for a host with systemd `version`: unknown directives dropped, the sandbox rebuilt from known ones. */
export function unitForSystemd(text: string, version: number): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const key = /^([A-Za-z]+)=/.exec(line)?.[1];
    if (!key) {
      out.push(line);
      continue;
    }
    const replaced = olderForm(key, line, version);
    if (replaced !== undefined) out.push(replaced);
    else if ((DIRECTIVE_SINCE[key] ?? 0) <= version) out.push(line);
  }
  return out.join('\n');
}

/** A directive that an older systemd knows in another form; undefined: keep or drop the line as it is. */
function olderForm(key: string, line: string, version: number): string | undefined {
  if (key === 'ProtectSystem' && line === 'ProtectSystem=strict' && version < 232) return 'ProtectSystem=full';
  if (key === 'ReadWritePaths' && version < 232) {
    return `${version < 231 ? 'ReadWriteDirectories' : 'ReadWritePaths'}=${FULL_WRITABLE}`;
  }
  return undefined;
}

/** "systemd 219\n+PAM ..." (`systemctl --version`) → 219; 0 when it cannot be read. */
export function systemdVersionOf(text: string): number {
  return Number(/^systemd (\d+)/m.exec(text)?.[1] ?? 0);
}
