import type { Ensemble, HostSpec } from './file';
import { zkHosts } from './file';

/** Derived facts of an ensemble that deploy, status and the health server all use. */
export function serverName(e: Ensemble, host: HostSpec, myid: number): string {
  const label = e.spec.zookeeper.serverName.replace('{myid}', String(myid)).replace('{name}', host.name);
  return e.spec.dns ? `${label}.${e.spec.dns.zone.replace(/\.$/, '')}` : host.address;
}

/** A server's A record as the zone names it (`zk1` of `zk1.zq.com`): what the DNS host adds and takes out. */
export function zoneLabel(e: Ensemble, host: HostSpec, myid: number): string {
  const zone = (e.spec.dns?.zone ?? '').replace(/\.$/, '');
  return serverName(e, host, myid).slice(0, -(zone.length + 1));
}

/** The connection string Dubbo's `dubbo.registry.address` takes. */
export function registryAddress(e: Ensemble, myids: Record<string, number>): string {
  const names = zkHosts(e)
    .filter((h) => !h.observer)
    .map((h) => `${serverName(e, h, myids[h.name])}:${registryPort(e)}`);
  return `zookeeper://${names[0]}${names.length > 1 ? `?backup=${names.slice(1).join(',')}` : ''}`;
}

/** The port services use: the secure one once client TLS is `only` (with `both`, the plain one still works). */
function registryPort(e: Ensemble): number {
  const z = e.spec.zookeeper;
  return z.tls.client === 'only' ? z.tls.secureClientPort : z.clientPort;
}
