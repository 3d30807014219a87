/**
 * Where a DNS host keeps its tools, probed from the host, never guessed from its name: RHEL's BIND has
 * named-checkzone in /usr/sbin and zones under /var/named (group named, SELinux type named_zone_t), Debian's in
 * /usr/bin. Pure over what the host shows; agent/dns/zone.ts asks the real filesystem.
 */
export interface DnsHostView {
  /** Whether a path exists on the host. */
  exists(path: string): boolean;
  /** /sys/fs/selinux/enforce: "1" enforcing, "0" permissive, undefined when SELinux is off. */
  selinuxEnforce?: string;
}

export interface DnsTools {
  /** The named-checkzone to run: the configured one when it is a path, else the first the host has. */
  checkzone: string;
  /** restorecon, when SELinux is on: a zone swapped in must carry the context its directory gives. */
  restorecon?: string;
}

const CHECKZONE = ['/usr/sbin/named-checkzone', '/usr/bin/named-checkzone', '/sbin/named-checkzone'];
const RESTORECON = ['/usr/sbin/restorecon', '/sbin/restorecon'];

export function dnsTools(configured: string, host: DnsHostView): DnsTools {
  const checkzone = configured.startsWith('/') ? configured : (CHECKZONE.find((p) => host.exists(p)) ?? configured);
  const selinux = host.selinuxEnforce !== undefined;
  const restorecon = selinux ? RESTORECON.find((p) => host.exists(p)) : undefined;
  return restorecon ? { checkzone, restorecon } : { checkzone };
}
