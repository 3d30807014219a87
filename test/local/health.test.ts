import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinatorServer } from '../../coordinator/server/server';
import { HealthStore } from '../../coordinator/server/health-store';
import { createLogger } from '../../shared/logger';
import { certPaths, issueCertificate, pkiPaths } from '../../shared/pki';
import { zkfleetProto } from '../../shared/proto';
import type { HealthReport } from '../../shared/proto-types/zkfleet/v1/HealthReport';
import type { HealthReport__Output } from '../../shared/proto-types/zkfleet/v1/HealthReport';
import { clientCredentials, loadTls } from '../../shared/tls';
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

test('the coordinator server takes a report only from the agent it is about', async (t) => {
  const pki = await localPki(t);
  await issueCertificate(pki, { name: 'h1', role: 'agent', ips: ['127.0.0.1'] });
  const server = new CoordinatorServer({ listen: '127.0.0.1:0', pki, stateDir: tmpDir(t) }, quiet());
  await server.start();
  t.after(() => server.stop());
  const send = async (who: string, about: string) => {
    const m = await loadTls({ ca: pkiPaths(pki).caCert, ...certPaths(pki, who) });
    const c = new (zkfleetProto().zkfleet.v1.Coordinator)(
      `127.0.0.1:${server.port}`,
      clientCredentials(m, { role: 'coordinator' }),
    );
    return new Promise<grpc.ServiceError | null>((resolve) => {
      const r = { name: about, ttlMs: 10_000, sentAtMs: Date.now(), zookeeper: { mode: 'leader' } } as HealthReport;
      c.Report(r, { deadline: Date.now() + 3000 }, (err) => {
        c.close();
        resolve(err);
      });
    });
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
