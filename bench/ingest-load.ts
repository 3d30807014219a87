import { setTimeout as sleep } from 'node:timers/promises';
import { ReportChannel } from '../agent/health/report-channel';
import { certPaths, pkiPaths } from '../shared/pki/paths';
import { zkfleetProto, type CoordinatorClient } from '../shared/proto';
import { clientCredentials, loadTls } from '../shared/pki/tls';

/**
 * A load generator for `coordinator serve`, run as its own process by the bench: reporters (each with its
 * own agent certificate, already issued) send reports back to back for a fixed time. Prints one JSON line.
 * argv: address pkiDir seconds rate name... — rate 0: each reporter sends back to back (the server's
 * capacity); rate R: R reports/s in all, each reporter on its own schedule (latency at a given load).
 */
async function main(): Promise<void> {
  const [address, pkiDir, secondsArg, rateArg, ...names] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const intervalMs = Number(rateArg) > 0 ? (names.length / Number(rateArg)) * 1000 : 0;
  const Coordinator = zkfleetProto().zkfleet.v1.Coordinator;
  const clients: Array<{ name: string; c: CoordinatorClient; channel: ReportChannel }> = [];
  for (const name of names) {
    const tls = await loadTls({ ca: pkiPaths(pkiDir).caCert, ...certPaths(pkiDir, name) });
    const c = new Coordinator(address, clientCredentials(tls, { role: 'coordinator' }), {
      'grpc.use_local_subchannel_pool': 1,
    });
    clients.push({ name, c, channel: new ReportChannel(c) });
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
  // The agent's own report channel: one stream per reporter, as agents send them.
  const send = async (x: (typeof clients)[number]) => {
    const t = performance.now();
    await x.channel.send(report(x.name), 5000);
    return performance.now() - t;
  };
  await Promise.all(clients.map(send));
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (x, i) => {
      // Paced reporters start spread over one interval, as a fleet's jittered timers are.
      let next = performance.now() + (intervalMs * i) / clients.length;
      while (Date.now() < end) {
        if (intervalMs) await sleep(Math.max(0, next - performance.now()));
        next += intervalMs;
        latencies.push(await send(x));
      }
    }),
  );
  clients.forEach((x) => {
    x.channel.close();
    x.c.close();
  });
  process.stdout.write(JSON.stringify({ latencies }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
