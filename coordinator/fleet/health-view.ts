import { certPaths, pkiPaths } from '../../shared/pki/paths';
import { zkfleetProto } from '../../shared/proto';
import type { Disk__Output, Event__Output, View__Output, ZooKeeperStatus__Output } from '../../shared/generated/wire';
import { clientCredentials, loadTls } from '../../shared/pki/tls';
import type { Ensemble } from '../ensemble/file';

export interface HostView {
  agentVersion: string;
  receivedAt: number;
  stale: boolean;
  zookeeper: ZooKeeperStatus__Output;
  drift: string[];
  disks: Disk__Output[];
}
export interface ServerView {
  hosts: Record<string, HostView>;
  events: Event__Output[];
}

/** The coordinator server's latest reports, when the ensemble file names one and it answers in time. */
export async function fetchServerView(
  e: Ensemble,
  signal?: AbortSignal,
  timeoutMs = 1500,
): Promise<ServerView | undefined> {
  const address = e.spec.coordinator?.address;
  if (!address) return undefined;
  const tls = await loadTls({ ca: pkiPaths(e.pkiDir).caCert, ...certPaths(e.pkiDir, 'coordinator') });
  const Coordinator = zkfleetProto().zkfleet.v1.Coordinator;
  const client = new Coordinator(address, clientCredentials(tls, { role: 'coordinator' }));
  try {
    const v = await new Promise<View__Output>((resolve, reject) => {
      const call = client.GetView({ maxEvents: 50 }, { deadline: Date.now() + timeoutMs }, (err, res) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(res!);
      });
      const onAbort = () => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // The server's clock is the reference for ages: shift to ours.
    const skew = Date.now() - Number(v.nowMs);
    return {
      events: v.events,
      hosts: Object.fromEntries(
        v.hosts.map((h) => [
          h.name,
          {
            receivedAt: Number(h.receivedAtMs) + skew,
            agentVersion: h.report!.facts?.agentVersion ?? '',
            stale: h.stale,
            zookeeper: h.report!.zookeeper!,
            drift: h.report!.drift,
            disks: h.report!.disks,
          },
        ]),
      ),
    };
  } finally {
    client.close();
  }
}
