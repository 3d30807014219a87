import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { alertTable } from '../../coordinator/monitoring/alerts';
import { cli, tmpDir } from '../helpers';

const run = promisify(execFile);
const PROMTOOL = '/usr/bin/promtool';

function ensembleFile(name: string, first: number): string {
  const hosts = [0, 1, 2]
    .map(
      (i) =>
        `  - { name: ${name}-${i + 1}, address: 10.4.7.${first + i}, agent: 10.4.7.${first + i}:7443, roles: [zookeeper] }`,
    )
    .join('\n');
  return `name: ${name}
pki: ./pki
coordinator: { address: 10.4.7.200:7400, metrics: 10.4.7.200:9400 }
agents: { metricsPort: 9100 }
artifacts:
  jdk: { path: jdk.tar.gz, sha256: ${'0'.repeat(64)} }
  zookeeper: { path: zk.tar.gz, sha256: ${'0'.repeat(64)} }
hosts:
${hosts}
zookeeper: { prometheus: { port: 7000 } }
`;
}

/**
 * `coordinator monitoring`: what it writes passes promtool (config, rules, and a firing and a silent unit test
 * for every alert), and two ensembles written into one directory are one valid configuration.
 */
test('monitoring output: promtool check config, check rules, test rules; two ensembles side by side', async (t) => {
  if (!existsSync(PROMTOOL))
    assert.fail(`${PROMTOOL} is missing: scripts/setup.sh installs Debian's prometheus package`);
  const dir = tmpDir(t);
  const out = path.join(dir, 'prometheus');
  for (const [name, first] of [
    ['dubbo-zk', 11],
    ['orders-zk', 51],
  ] as const) {
    await fs.writeFile(path.join(dir, `${name}.yaml`), ensembleFile(name, first));
    const r = await cli(['monitoring', path.join(dir, `${name}.yaml`), '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { targets: Record<string, number>; notes: string[] };
    assert.deepEqual(result.targets, { 'zkfleet-agent': 3, zookeeper: 3, 'zkfleet-coordinator': 1 });
    assert.deepEqual(result.notes, []);
  }
  const check = await run(PROMTOOL, ['check', 'config', path.join(out, 'prometheus.yml')]);
  assert.match(check.stdout, /SUCCESS: 2 rule files found/);
  const rules = await run(PROMTOOL, [
    'check',
    'rules',
    ...['dubbo-zk', 'orders-zk'].map((n) => path.join(out, `rules/${n}.rules.yml`)),
  ]);
  assert.match(rules.stdout, new RegExp(`SUCCESS: ${alertTable(3).length} rules found`));
  for (const name of ['dubbo-zk', 'orders-zk']) {
    const tests = path.join(out, `tests/${name}.rules.test.yml`);
    const r = await run(PROMTOOL, ['test', 'rules', tests]);
    assert.match(r.stdout, /SUCCESS/);
    const cases = (await fs.readFile(tests, 'utf8')).match(/^ {2}- name: .* (fires|silent)$/gm) ?? [];
    assert.equal(cases.length, 2 * alertTable(3).length, 'a firing and a silent case for every alert');
  }
  const agents = JSON.parse(await fs.readFile(path.join(out, 'targets/orders-zk-agent.json'), 'utf8'));
  assert.deepEqual(agents[0], { targets: ['10.4.7.51:9100'], labels: { ensemble: 'orders-zk', host: 'orders-zk-1' } });
  const providers = JSON.parse(await fs.readFile(path.join(out, 'targets/dubbo-zk-zookeeper.json'), 'utf8'));
  assert.deepEqual(providers[2], { targets: ['10.4.7.13:7000'], labels: { ensemble: 'dubbo-zk', host: 'dubbo-zk-3' } });
});

test('an alert test that expects the wrong thing fails: promtool really checks the cases', async (t) => {
  if (!existsSync(PROMTOOL))
    assert.fail(`${PROMTOOL} is missing: scripts/setup.sh installs Debian's prometheus package`);
  const dir = tmpDir(t);
  await fs.writeFile(path.join(dir, 'e.yaml'), ensembleFile('dubbo-zk', 11));
  assert.equal((await cli(['monitoring', path.join(dir, 'e.yaml'), '--out', dir])).code, 0);
  const file = path.join(dir, 'tests/dubbo-zk.rules.test.yml');
  // The silent case of the first alert now expects nothing where its firing series are: swap the values.
  const text = await fs.readFile(file, 'utf8');
  await fs.writeFile(file, text.replace('values: 1x30', 'values: 1 0x30'));
  await assert.rejects(run(PROMTOOL, ['test', 'rules', file]), /FAILED/);
});
