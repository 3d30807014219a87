import path from 'node:path';

/**
 * Where `coordinator pki` keeps things: ca.crt/ca.key, coordinator.crt/key, agents/NAME.crt/key, and the
 * certificates of ZooKeeper clients (services) in clients/NAME.crt/key.
 */
export interface PkiPaths {
  dir: string;
  caCert: string;
  caKey: string;
}

export function pkiPaths(dir: string): PkiPaths {
  return { dir, caCert: path.join(dir, 'ca.crt'), caKey: path.join(dir, 'ca.key') };
}

export function certPaths(dir: string, name: string, role?: string): { cert: string; key: string } {
  const base = name === 'coordinator' ? dir : path.join(dir, role === 'client' ? 'clients' : 'agents');
  return { cert: path.join(base, `${name}.crt`), key: path.join(base, `${name}.key`) };
}
