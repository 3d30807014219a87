import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinatorServer } from '../../coordinator/server/server';
import { HealthStore } from '../../coordinator/server/health-store';
import { createLogger } from '../../shared/logger';
import { certPaths, issueCertificate, pkiPaths } from '../../shared/pki/pki';
import { zkfleetProto } from '../../shared/proto';
import type { HealthReport, HealthReport__Output } from '../../shared/generated/wire';
import { ReportChannel } from '../../agent/health/report-channel';
import { clientCredentials, loadTls, serverCredentials } from '../../shared/pki/tls';
import { tmpDir } from '../helpers';
import { localPki } from './local-fleet';

const quiet = () => createLogger({ stream: new Writable({ write: (_c, _e, cb) => cb() }) });

function report(name: string, ttlMs: number, mode = 'follower', freeBytes = 50e9): HealthReport__Output {
  return {
    name,
    ttlMs,
    sentAtMs: Date.now(),
    zookeeper: { mode },
    drift: [],
    disks: [{ path: '/data/zookeeper/data', mount: '/', totalBytes: 100e9, freeBytes }],
  } as unknown as HealthReport__Output;
}

test('the health store: a host past its TTL is stale, an event says so, a new report brings it back', async (t) => {
  const store = new HealthStore(tmpDir(t), quiet());
  await store.open();
  t.after(() => store.close());
  store.accept(report('h1', 300));
  assert.equal(store.view(10).hosts[0].stale, false);
  await sleep(900);
  const v = store.view(10);
  assert.equal(v.hosts[0].stale, true);
  assert.ok(v.events.some((e) => e.host === 'h1' && e.kind === 'stale'));
  store.accept(report('h1', 300));
  assert.ok(store.view(10).events.some((e) => e.kind === 'up' && /reporting again/.test(String(e.detail))));
});

test('the health store: mode changes and a low disk are events, by the one disk rule', async (t) => {
  const store = new HealthStore(tmpDir(t), quiet());
  await store.open();
  t.after(() => store.close());
  store.accept(report('h1', 30_000, 'follower'));
  store.accept(report('h1', 30_000, 'leader', 1e9));
  const kinds = store.view(10).events.map((e) => `${e.kind}:${e.detail}`);
  assert.ok(kinds.includes('mode:follower → leader'), kinds.join(' | '));
  assert.ok(
    kinds.some((k) => /^disk:low disk: \/data\/zookeeper\/data: 1000 MB free/.test(k)),
    kinds.join(' | '),
  );
});

async function coordinatorClient(pki: string, who: string, port: number) {
  const m = await loadTls({ ca: pkiPaths(pki).caCert, ...certPaths(pki, who) });
  return new (zkfleetProto().zkfleet.v1.Coordinator)(
    `127.0.0.1:${port}`,
    clientCredentials(m, { role: 'coordinator' }),
  );
}

const leaderReport = (name: string) =>
  ({ name, ttlMs: 10_000, sentAtMs: Date.now(), zookeeper: { mode: 'leader' } }) as HealthReport;

async function startServer(t: TestContext) {
  const pki = await localPki(t);
  await issueCertificate(pki, { name: 'h1', role: 'agent', ips: ['127.0.0.1'] });
  const server = new CoordinatorServer({ listen: '127.0.0.1:0', pki, stateDir: tmpDir(t) }, quiet());
  await server.start();
  t.after(() => server.stop());
  return { pki, server };
}

for (const way of ['unary', 'stream'] as const) {
  test(`the coordinator server takes a report only from the agent it is about (${way})`, async (t) => {
    const { pki, server } = await startServer(t);
    const send = async (who: string, about: string) => {
      const c = await coordinatorClient(pki, who, server.port);
      const channel = new ReportChannel(c);
      const r = leaderReport(about);
      const sent =
        way === 'stream'
          ? channel.send(r, 3000)
          : new Promise<void>((resolve, reject) =>
              c.Report(r, { deadline: Date.now() + 3000 }, (err) => (err ? reject(err) : resolve())),
            );
      try {
        await sent;
        return null;
      } catch (err) {
        return err as grpc.ServiceError;
      } finally {
        channel.close();
        c.close();
      }
    };
    assert.equal(await send('h1', 'h1'), null);
    const forged = await send('h1', 'h2');
    assert.equal(forged?.code, grpc.status.PERMISSION_DENIED);
    assert.match(forged!.details, /the certificate of "h1" cannot report for "h2"/);
    assert.equal((await send('coordinator', 'h1'))?.code, grpc.status.PERMISSION_DENIED);
    assert.deepEqual(
      server.store.view(10).hosts.map((h) => [h.name, h.report.zookeeper?.mode]),
      [['h1', 'leader']],
    );
  });
}

test('reports on one stream are each acknowledged; a stopping server ends the stream, not waits on it', async (t) => {
  const { pki, server } = await startServer(t);
  const c = await coordinatorClient(pki, 'h1', server.port);
  const channel = new ReportChannel(c);
  t.after(() => c.close());
  for (let i = 0; i < 50; i++) await channel.send(leaderReport('h1'), 3000);
  assert.equal(server.store.reportsTotal, 50);
  const t0 = Date.now();
  await server.stop();
  assert.ok(Date.now() - t0 < 2000, `stop took ${Date.now() - t0} ms with a report stream open`);
  await assert.rejects(channel.send(leaderReport('h1'), 1000));
  channel.close();
});

test('an older coordinator server without the report stream gets unary reports', async (t) => {
  const pki = await localPki(t);
  await issueCertificate(pki, { name: 'h1', role: 'agent', ips: ['127.0.0.1'] });
  const got: string[] = [];
  const old = new grpc.Server();
  // Report only, as zkfleet 0.3 served it: ReportStream answers UNIMPLEMENTED.
  old.addService(zkfleetProto().zkfleet.v1.Coordinator.service, {
    Report: (call: grpc.ServerUnaryCall<HealthReport__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      got.push(call.request.name);
      cb(null, { receivedAtMs: Date.now() });
    },
  });
  const tls = await loadTls({ ca: pkiPaths(pki).caCert, ...certPaths(pki, 'coordinator') });
  const port = await new Promise<number>((resolve, reject) =>
    old.bindAsync('127.0.0.1:0', serverCredentials(tls), (err, p) => (err ? reject(err) : resolve(p))),
  );
  t.after(() => old.forceShutdown());
  const c = await coordinatorClient(pki, 'h1', port);
  const channel = new ReportChannel(c);
  t.after(() => c.close());
  await channel.send(leaderReport('h1'), 3000);
  await channel.send(leaderReport('h1'), 3000);
  assert.deepEqual(got, ['h1', 'h1']);
  channel.close();
});
