import type * as grpc from '@grpc/grpc-js';
import { certPaths, pkiPaths } from '../shared/pki-paths';
import { zkfleetProto, type CoordinatorClient } from '../shared/proto';
import { clientCredentials, loadTls } from '../shared/tls';

/**
 * A load generator for `coordinator serve`, run as its own process by the bench: reporters (each with its
 * own agent certificate, already issued) send reports back to back for a fixed time. Prints one JSON line.
 * argv: address pkiDir seconds name...
 */
async function main(): Promise<void> {
  const [address, pkiDir, secondsArg, ...names] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const Coordinator = zkfleetProto().zkfleet.v1.Coordinator;
  const clients: Array<{ name: string; c: CoordinatorClient }> = [];
  for (const name of names) {
    const tls = await loadTls({ ca: pkiPaths(pkiDir).caCert, ...certPaths(pkiDir, name) });
    clients.push({
      name,
      c: new Coordinator(address, clientCredentials(tls, { role: 'coordinator' }), {
        'grpc.use_local_subchannel_pool': 1,
      }),
    });
  }
  const report = (name: string) => ({
    name,
    sentAtMs: Date.now(),
    ttlMs: 30_000,
    drift: [],
    disks: [{ path: '/data/zookeeper/data', mount: '/', totalBytes: 1e11, freeBytes: 5e10 }],
    zookeeper: { mode: 'follower' as const, zxid: '0x100000001', latencyAvg: 0.5, connections: 3 },
    facts: { name, cpus: 2, load1: 0.1 },
  });
  const send = (x: (typeof clients)[number]) =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now();
      x.c.Report(report(x.name), { deadline: Date.now() + 5000 }, (err: grpc.ServiceError | null) =>
        err ? reject(err) : resolve(performance.now() - t),
      );
    });
  await Promise.all(clients.map(send));
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (x) => {
      while (Date.now() < end) latencies.push(await send(x));
    }),
  );
  clients.forEach((x) => x.c.close());
  process.stdout.write(JSON.stringify({ latencies }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
