import net from 'node:net';
import tls from 'node:tls';
import type { TlsMaterial } from '../../shared/pki/tls';

/**
 * The npm ZooKeeper client has no TLS (its C library could, its binding does not expose it). Where the servers
 * take clients over TLS only, zkfleet's own calls (the client check, the ACL, reconfig) go through a bridge in the
 * coordinator: one loopback listener per server, each connection carried over TLS to that server's
 * secureClientPort with the coordinator's certificate, the server's verified against zkfleet's CA and its address.
 */
export interface Bridge {
  /** The connection string to give the client: the loopback listeners, in the order of the servers. */
  connect: string;
  close(): void;
}

export async function openBridge(servers: string, material: TlsMaterial): Promise<Bridge> {
  const listeners = await Promise.all(servers.split(',').map((hp) => listen(hp, material)));
  return {
    connect: listeners.map((l) => `127.0.0.1:${(l.address() as net.AddressInfo).port}`).join(','),
    close: () => listeners.forEach((l) => l.close()),
  };
}

function listen(hostPort: string, material: TlsMaterial): Promise<net.Server> {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at);
  const port = Number(hostPort.slice(at + 1));
  const server = net.createServer((local) => {
    const remote = tls.connect({ host, port, ca: material.ca, cert: material.cert, key: material.key });
    const end = () => {
      local.destroy();
      remote.destroy();
    };
    local.on('error', end).on('close', end);
    remote.on('error', end).on('close', end);
    local.pipe(remote).pipe(local);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
