import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { providerHasHttpHost, providerProblem } from '../../coordinator/artifacts/provider';
import { alertTable } from '../../coordinator/monitoring/alerts';

const UPSTREAM_380 = [
  'zookeeper-3.8.0.jar',
  'zookeeper-prometheus-metrics-3.8.0.jar',
  'simpleclient-0.9.0.jar',
  'simpleclient_common-0.9.0.jar',
  'simpleclient_hotspot-0.9.0.jar',
  'simpleclient_servlet-0.9.0.jar',
];
const DEBIAN_TREE = ['zookeeper.jar', 'zookeeper-jute.jar', 'netty-handler.jar', 'logback-classic.jar'];

test("ZooKeeper's Prometheus provider: an upstream tree has its jars; a Debian-assembled one is refused by jar name", () => {
  assert.equal(providerProblem('3.8.0', UPSTREAM_380), undefined);
  const refused = providerProblem('3.8.0', DEBIAN_TREE) ?? '';
  assert.match(refused, /lacks lib\/zookeeper-prometheus-metrics-3\.8\.0\.jar, lib\/simpleclient-<version>\.jar/);
  assert.match(refused, /simpleclient_servlet-<version>\.jar/);
  const one =
    providerProblem(
      '3.8.0',
      UPSTREAM_380.filter((j) => !j.startsWith('simpleclient_hotspot')),
    ) ?? '';
  assert.match(one, /lacks lib\/simpleclient_hotspot-<version>\.jar, which/);
  assert.match(
    providerProblem('3.4.13', UPSTREAM_380) ?? '',
    /3\.4\.13 has no PrometheusMetricsProvider \(it came in 3\.6\.0\)/,
  );
  assert.match(providerProblem('3.5.9', UPSTREAM_380) ?? '', /came in 3\.6\.0/);
  assert.equal(providerProblem('3.6.0', UPSTREAM_380), undefined);
  assert.equal(providerHasHttpHost('3.8.0'), true);
  assert.equal(providerHasHttpHost('3.7.1'), false);
});

test('README lists every alert with its action', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  for (const a of alertTable(3)) assert.match(readme, new RegExp(`^\\| \`${a.name}\``, 'm'), a.name);
});
