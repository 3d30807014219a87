import { loadTls, type TlsMaterial } from '../../shared/pki/tls';
import { certPaths, pkiPaths } from '../../shared/pki/paths';
import { AgentConnection } from './agent-client';
import type { Ensemble, HostSpec } from '../ensemble/file';

/** Connections to the agents of an ensemble, with the coordinator's certificate. */
export class Fleet {
  private readonly conns = new Map<string, AgentConnection>();
  private constructor(
    readonly ensemble: Ensemble,
    readonly tls: TlsMaterial,
  ) {}

  static async open(ensemble: Ensemble): Promise<Fleet> {
    const c = certPaths(ensemble.pkiDir, 'coordinator');
    const tls = await loadTls({ ca: pkiPaths(ensemble.pkiDir).caCert, cert: c.cert, key: c.key });
    return new Fleet(ensemble, tls);
  }

  agent(host: HostSpec): AgentConnection {
    let c = this.conns.get(host.name);
    if (!c) {
      c = new AgentConnection(host.name, host.agent, this.tls);
      this.conns.set(host.name, c);
    }
    return c;
  }

  close(): void {
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }
}

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}
