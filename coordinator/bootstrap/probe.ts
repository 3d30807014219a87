/**
 * What bootstrap learns about a host before it changes anything: can it run the agent (arch, glibc,
 * systemd, space, the port), and what of zkfleet is already there (releases, files, the unit).
 * One POSIX sh script over ssh, key=value lines back.
 */
export const AGENT_HOME = '/opt/zkfleet-agent';
export const ETC = '/etc/zkfleet';
export const UNIT_FILE = '/etc/systemd/system/zkfleet-agent.service';
export const TMPFILES_FILE = '/etc/tmpfiles.d/zkfleet-agent.conf';

export const FILES = {
  config: `${ETC}/agent.yaml`,
  ca: `${ETC}/ca.crt`,
  cert: `${ETC}/agent.crt`,
  key: `${ETC}/agent.key`,
};

export interface HostProbe {
  arch: string;
  glibc: string;
  systemd: boolean;
  /** `systemctl --version`'s number (219 on CentOS 7), 0 when unknown. */
  systemdVersion: number;
  /** `uname -r`, e.g. 3.10.0-1160.el7.x86_64. */
  kernel: string;
  freeOptBytes: number;
  /** The version `current` points at, '' when none. */
  current: string;
  /** Installed releases: version → sha256 of the tarball they came from. */
  releases: Record<string, string>;
  unitSha: string;
  configSha: string;
  caSha: string;
  hasKey: boolean;
  certPem: string;
  active: string;
  enabled: string;
  /** `ss` line of whatever listens on the agent's port, '' when it is free. */
  portOwner: string;
}

export function probeScript(port: number): string {
  return `
sumof() { if [ -f "$1" ]; then sha256sum "$1" | cut -d' ' -f1; fi; }
echo "arch=$(uname -m)"
echo "glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
echo "systemd_version=$(systemctl --version 2>/dev/null | head -1 | awk '{print $2}')"
echo "kernel=$(uname -r)"
mkdir -p /opt 2>/dev/null
echo "free_opt_kb=$(df -Pk /opt 2>/dev/null | awk 'NR==2{print $4}')"
echo "current=$(basename "$(readlink ${AGENT_HOME}/current 2>/dev/null)" 2>/dev/null)"
for d in ${AGENT_HOME}/releases/*; do
  if [ -f "$d/.tarball.sha256" ]; then echo "release=$(basename "$d") $(cat "$d/.tarball.sha256")"; fi
done
if [ -f ${UNIT_FILE} ]; then
  echo "unit_sha=$(cat ${UNIT_FILE} ${TMPFILES_FILE} 2>/dev/null | sha256sum | cut -d' ' -f1)"
fi
echo "config_sha=$(sumof ${FILES.config})"
echo "ca_sha=$(sumof ${FILES.ca})"
if [ -f ${FILES.key} ]; then echo key=yes; else echo key=no; fi
if [ -f ${FILES.cert} ]; then echo "cert_b64=$(base64 -w0 ${FILES.cert})"; fi
echo "active=$(systemctl is-active zkfleet-agent 2>/dev/null)"
echo "enabled=$(systemctl is-enabled zkfleet-agent 2>/dev/null)"
echo "port_owner=$(ss -Hltnp 'sport = :${port}' 2>/dev/null | head -1 | tr -s ' ')"
`;
}

export function parseProbe(text: string): HostProbe {
  const p: HostProbe = {
    arch: '',
    glibc: '',
    systemd: false,
    systemdVersion: 0,
    kernel: '',
    freeOptBytes: 0,
    current: '',
    releases: {},
    unitSha: '',
    configSha: '',
    caSha: '',
    hasKey: false,
    certPem: '',
    active: '',
    enabled: '',
    portOwner: '',
  };
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const [k, v] = [line.slice(0, eq), line.slice(eq + 1).trim()];
    if (k === 'release') {
      const [version, sha] = v.split(' ');
      p.releases[version] = sha;
    } else take(p, k, v);
  }
  return p;
}

function take(p: HostProbe, k: string, v: string): void {
  const strings: Record<string, keyof HostProbe> = {
    arch: 'arch',
    glibc: 'glibc',
    kernel: 'kernel',
    current: 'current',
    unit_sha: 'unitSha',
    config_sha: 'configSha',
    ca_sha: 'caSha',
    active: 'active',
    enabled: 'enabled',
    port_owner: 'portOwner',
  };
  if (k in strings) (p as unknown as Record<string, string>)[strings[k]] = v;
  else if (k === 'systemd') p.systemd = v === 'yes';
  else if (k === 'systemd_version') p.systemdVersion = Number(v) || 0;
  else if (k === 'free_opt_kb') p.freeOptBytes = Number(v) * 1024 || 0;
  else if (k === 'key') p.hasKey = v === 'yes';
  else if (k === 'cert_b64') p.certPem = Buffer.from(v, 'base64').toString('utf8');
}
