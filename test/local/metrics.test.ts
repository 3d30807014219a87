import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { StateFile, type ZooKeeperState } from '../../agent/daemon/state';
import { AgentMetrics } from '../../agent/health/metrics';
import { localAgent } from './local-fleet';
import { seriesValue, tmpDir } from '../helpers';

/**
 * The agent's /metrics through prom-client, on a real agent's host and certificate: a data directory whose
 * path holds a quote, a backslash and a newline comes out escaped as the exposition format asks.
 */
test("agent metrics: zkfleet_* series with host and myid; a hostile disk path escaped; the agent's certificate expiry", async (t) => {
  const a = await localAgent(t);
  const dir = tmpDir(t);
  const data = path.join(dir, 'data "quoted" \\ back\nslash');
  mkdirSync(data, { recursive: true });
  const state = StateFile.in(path.join(dir, 'state'));
  // A configured server that does not run (nothing listens on its port): its figures say so.
  const zk = { myid: 3, dataDir: data, dataLogDir: data, clientHost: '127.0.0.1', clientPort: 1, restarts: 2 };
  await state.update({ zookeeper: zk as unknown as ZooKeeperState });
  const metrics = new AgentMetrics(a.daemon.host, state);
  metrics.count('Facts', true, 3);
  const text = await metrics.text();
  const value = (name: string, labels: Record<string, string>) => seriesValue(text, name, labels);
  const server = { myid: '3', host: 'local-1' };
  const escaped = path.join(dir, 'data \\"quoted\\" \\\\ back\\nslash');
  assert.ok(
    text.split('\n').some((l) => l.startsWith('zkfleet_disk_free_bytes{') && l.includes(`path="${escaped}"`)),
    text
      .split('\n')
      .filter((l) => l.startsWith('zkfleet_disk'))
      .join('\n'),
  );
  assert.equal(value('zkfleet_zookeeper_serving', server), 0);
  assert.equal(value('zkfleet_zookeeper_leader', server), 0);
  assert.equal(value('zkfleet_zookeeper_restarts_total', server), 2);
  assert.equal(
    value('zkfleet_agent_rpc_duration_seconds_bucket', { le: '0.005', method: 'Facts', host: 'local-1' }),
    1,
  );
  const expiry = value('zkfleet_certificate_expiry_timestamp_seconds', { kind: 'agent', host: 'local-1' }) ?? 0;
  assert.ok(expiry > Date.now() / 1000 + 86_400, `the agent certificate expires at ${expiry}`);
  assert.match(text, /^process_cpu_seconds_total\{host="local-1"\} /m);
  // Every line parses as the exposition format: a comment, or name{labels} value.
  for (const line of text.split('\n').filter(Boolean)) {
    assert.match(
      line,
      /^(# (HELP|TYPE) .*|[a-zA-Z_:][\w:]*(\{.*\})? -?[\d.e+-]+|[a-zA-Z_:][\w:]*(\{.*\})? (NaN|Nan|[+-]Inf))$/,
      line,
    );
  }
  // A server removed from the ensemble has no series at all: no alert can fire about it.
  await state.update({ zookeeper: { ...zk, desired: 'removed' } as unknown as ZooKeeperState });
  assert.doesNotMatch(await metrics.text(), /zkfleet_zookeeper_serving\{/);
});
