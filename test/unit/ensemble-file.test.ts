import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadEnsemble } from '../../coordinator/ensemble/file';
import { initCa } from '../../shared/pki/pki';
import { cli, tmpDir } from '../helpers';

// Agents at addresses nothing listens on: had the CLI tried to reach one, the error would say so,
// not name a field and a line.
function baseFile(dir: string): string {
  const jdk = path.join(dir, 'jdk.tar.gz');
  const zk = path.join(dir, 'zk.tar.gz');
  writeFileSync(jdk, 'not really a jdk');
  writeFileSync(zk, 'not really zookeeper');
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  return `name: dubbo-zk
pki: ./pki
artifacts:
  jdk:       { path: ./jdk.tar.gz, sha256: ${sha('not really a jdk')} }
  zookeeper: { path: ./zk.tar.gz,  sha256: ${sha('not really zookeeper')} }
hosts:
  - { name: hdss7-11, address: 198.18.250.11, agent: 198.18.250.11:7443, roles: [zookeeper, dns] }
  - { name: hdss7-12, address: 198.18.250.12, agent: 198.18.250.12:7443, roles: [zookeeper] }
  - { name: hdss7-21, address: 198.18.250.21, agent: 198.18.250.21:7443, roles: [zookeeper] }
jdk: { installDir: /usr/java }
zookeeper:
  installDir: /opt
  dataDir: /data/zookeeper/data
  dataLogDir: /data/zookeeper/logs
  clientPort: 2181
  tickTime: 2000
  initLimit: 10
  syncLimit: 5
  serverName: "zk{myid}"
  myids: {}
  extra: {}
dns: { host: hdss7-11, zone: zq.com, zoneFile: /var/named/zq.com.zone }
`;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

// [what, edit of the valid file, the text on the line the message must name, the field it must name]
const CASES: Array<[string, (s: string) => string, string, string]> = [
  ['unknown top-level key', (s) => s.replace('jdk: { installDir', 'jdkk: { installDir'), 'jdkk:', 'jdkk'],
  [
    'unknown key in a host',
    (s) => s.replace('roles: [zookeeper] }', 'roles: [zookeeper], rack: r1 }'),
    'rack: r1',
    'hosts[1].rack',
  ],
  [
    'duplicate host name',
    (s) => s.replace('name: hdss7-21', 'name: hdss7-12'),
    'address: 198.18.250.21',
    'hosts[2].name',
  ],
  [
    'duplicate address',
    (s) => s.replace('address: 198.18.250.21,', 'address: 198.18.250.12,'),
    'agent: 198.18.250.21',
    'hosts[2].address',
  ],
  [
    'bad IPv4 address',
    (s) => s.replace('address: 198.18.250.12,', 'address: 198.18.250.312,'),
    '198.18.250.312',
    'hosts[1].address',
  ],
  [
    'missing artifact',
    (s) => s.replace('./zk.tar.gz', './zookeeper-3.4.14.tar.gz'),
    'zookeeper-3.4.14.tar.gz',
    'artifacts.zookeeper.path',
  ],
  [
    'mismatching artifact',
    (s) => s.replace(/(jdk:\s+\{ path: \.\/jdk\.tar\.gz, sha256: )[0-9a-f]{64}/, `$1${'0'.repeat(64)}`),
    '0000000000',
    'artifacts.jdk.sha256',
  ],
  [
    'sha256 not hex',
    (s) => s.replace(/(zk\.tar\.gz, {2}sha256: )[0-9a-f]{64}/, '$1xyz'),
    'sha256: xyz',
    'artifacts.zookeeper.sha256',
  ],
  ['DNS host not in hosts', (s) => s.replace('dns: { host: hdss7-11', 'dns: { host: hdss7-99'), 'hdss7-99', 'dns.host'],
  [
    'pin for an unknown host',
    (s) => s.replace('myids: {}', 'myids: { hdss7-99: 1 }'),
    'myids:',
    'zookeeper.myids.hdss7-99',
  ],
  ['pin out of range', (s) => s.replace('myids: {}', 'myids: { hdss7-11: 300 }'), 'myids:', 'zookeeper.myids.hdss7-11'],
  [
    'duplicate pins',
    (s) => s.replace('myids: {}', 'myids:\n    hdss7-11: 1\n    hdss7-12: 1'),
    'hdss7-12: 1',
    'zookeeper.myids.hdss7-12',
  ],
  [
    'extra key smuggling a newline',
    (s) => s.replace('extra: {}', 'extra: { maxClientCnxns: "60\\nserver.9=evil:2888:3888" }'),
    'maxClientCnxns',
    'zookeeper.extra.maxClientCnxns',
  ],
  ['serverName without {myid}', (s) => s.replace('"zk{myid}"', '"zk"'), 'serverName', 'zookeeper.serverName'],
  [
    'agent not host:port',
    (s) => s.replace('agent: 198.18.250.12:7443', 'agent: 198.18.250.12'),
    'agent: 198.18.250.12,',
    'hosts[1].agent',
  ],
  [
    'tickTime not a number',
    (s) => s.replace('tickTime: 2000', 'tickTime: fast'),
    'tickTime: fast',
    'zookeeper.tickTime',
  ],
  ['a host with no roles', (s) => s.replace('roles: [zookeeper] }', 'roles: [] }'), 'roles: [] }', 'hosts[1].roles'],
  ['unknown role', (s) => s.replace('roles: [zookeeper] }', 'roles: [zookeper] }'), 'zookeper', 'hosts[1].roles[0]'],
  [
    'same client and quorum port',
    (s) => s.replace('clientPort: 2181', 'clientPort: 2888'),
    'clientPort: 2888',
    'zookeeper.clientPort',
  ],
  ['YAML syntax error', (s) => s.replace('  installDir: /opt', '  installDir: [/opt'), '', 'YAML'],
  [
    'a registry writer who is not one of the users',
    (s) => s.replace('  extra: {}', '  extra: {}\n  auth: { users: [dubbo], writers: [ops] }'),
    'auth: { users: [dubbo], writers: [ops] }',
    'zookeeper.auth.writers[0]',
  ],
  [
    "zkfleet's own super user named as an application's",
    (s) => s.replace('  extra: {}', '  extra: {}\n  auth: { users: [super] }'),
    'auth: { users: [super] }',
    'zookeeper.auth.users[0]',
  ],
];

test('invalid ensemble files stop before any agent call, naming the field and the line', async (t) => {
  const dir = tmpDir(t);
  await initCa(path.join(dir, 'pki'));
  const good = baseFile(dir);
  for (const [what, edit, lineText, field] of CASES) {
    await t.test(what, async () => {
      const text = edit(good);
      assert.notEqual(text, good, `the edit for "${what}" changed nothing`);
      const file = path.join(dir, 'ensemble.yaml');
      writeFileSync(file, text);
      const r = await cli(['deploy', file, '--json']);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as { error: { code: string; problems: string[] } };
      assert.equal(out.error.code, 'CONFIG_INVALID', r.stderr);
      assert.doesNotMatch(r.stderr, /unreachable|UNAVAILABLE/);
      const hit = out.error.problems.find((p) => p.includes(field));
      assert.ok(hit, `no problem names ${field}: ${out.error.problems.join(' | ')}`);
      if (lineText)
        assert.ok(
          hit.startsWith(`${file}:${lineOf(text, lineText)}:`),
          `expected line ${lineOf(text, lineText)} in: ${hit}`,
        );
      else assert.match(hit, new RegExp(`^${file}:\\d+: YAML`));
    });
  }
});

test('the valid file passes; an even number of servers is only a warning', async (t) => {
  const dir = tmpDir(t);
  await initCa(path.join(dir, 'pki'));
  const file = path.join(dir, 'ensemble.yaml');
  writeFileSync(file, baseFile(dir));
  const e = await loadEnsemble(file);
  assert.equal(e.warnings.length, 0);
  writeFileSync(file, baseFile(dir).replace(/ {2}- \{ name: hdss7-21.*\n/, ''));
  const even = await loadEnsemble(file);
  assert.match(even.warnings.join('\n'), /2 voting ZooKeeper servers tolerate no more failures than 1/);
});

test("a file's wrong types are named in the project's words, with what the key must be and an example", async (t) => {
  const dir = tmpDir(t);
  await initCa(path.join(dir, 'pki'));
  const file = path.join(dir, 'ensemble.yaml');
  const text = baseFile(dir)
    .replace('pki: ./pki', 'pki: 1')
    .replace('clientPort: 2181', 'clientPort: "abc"')
    .replace('hosts:\n', 'hosts: { a: 1 }\nold_hosts:\n')
    .replace('zookeeper:\n', 'zookeeper:\n  supervisor: systemdd\n');
  writeFileSync(file, text);
  const r = await cli(['status', file, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const problems = (JSON.parse(r.stdout) as { error: { problems: string[] } }).error.problems;
  const about = (field: string) => problems.find((p) => p.includes(`: ${field}: `)) ?? `nothing about ${field}`;
  assert.match(about('pki'), /pki: is 1, a number: it must be text \(in quotes .*\(e\.g\. pki: \.\/pki\)/);
  assert.match(about('zookeeper.clientPort'), /is "abc", text: it must be a number \(e\.g\. clientPort: 2181\)/);
  assert.match(about('hosts'), /is a section: it must be a list \(e\.g\. hosts: \[\{ name: hdss7-11/);
  assert.match(about('zookeeper.supervisor'), /is "systemdd": it must be one of agent, systemd/);
  for (const p of problems) assert.doesNotMatch(p, /Invalid input|Invalid option|expected \w+, received|Too small/);
});

test('a sha256 written without quotes is read as written, even when YAML would read it as a number', async (t) => {
  const dir = tmpDir(t);
  await initCa(path.join(dir, 'pki'));
  const file = path.join(dir, 'ensemble.yaml');
  const zeros = '0'.repeat(64);
  writeFileSync(file, baseFile(dir).replace(/(jdk:.*sha256: )[0-9a-f]{64}/, `$1${zeros}`));
  const r = await cli(['deploy', file, '--dry-run', '--json']);
  const problems = (JSON.parse(r.stdout) as { error: { problems: string[] } }).error.problems;
  assert.equal(problems.length, 1, problems.join(' | '));
  assert.match(problems[0], new RegExp(`artifacts\\.jdk\\.sha256: .* has sha256 [0-9a-f]{64}, not ${zeros}`));
});

test('the example file gets past its own schema: the first thing it asks for is the PKI', async () => {
  const example = path.join(__dirname, '../../../examples/ensemble.yaml');
  const r = await cli(['status', example, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const problems = (JSON.parse(r.stdout) as { error: { problems: string[] } }).error.problems;
  assert.deepEqual(
    problems.map((p) => p.replace(/^.*?ensemble\.yaml:\d+: /, '')),
    [`pki: ${path.resolve(path.dirname(example), 'pki/ca.crt')} is missing: run \`coordinator pki init ./pki\``],
  );
});
