import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadEnsemble } from '../../coordinator/ensemble/file';
import type { ConfigError } from '../../shared/config-file';
import { renderZooCfg, type ZooCfgInput } from '../../shared/zookeeper/zoo-cfg';
import { REPO, tmpDir } from '../helpers';
import { sh } from '../sandbox/sh';

/**
 * zoo.cfg is read by java.util.Properties. Every value the ensemble file accepts must mean exactly the
 * same after the real parser reads the rendered file; everything else is refused at the file check with
 * the field and the line. The parser is the JDK's own (test/fixtures/PropsDump.java).
 */
const JAVA = '/usr/lib/jvm/java-17-openjdk-amd64/bin/java';

/** Values written faithfully (a value per zoo.cfg extra key). */
const FAITHFUL: Record<string, string> = {
  backslashes: 'C:\\temp\\zk',
  trailingBackslash: 'abc\\',
  backslashU: '\\u0041 stays six characters',
  backslashN: 'a\\nb',
  chinese: '注册中心',
  latin1: 'café',
  emoji: 'zebra 🦓',
  equals: 'a=b=c',
  leadingEquals: '=x',
  colons: 'host:2181:3888',
  hashFirst: '#not a comment',
  bangFirst: '!not a comment either',
  innerBlanks: 'a b  c',
  placeholders: '${user.home} %s {0}',
  quotes: `"double" 'single'`,
  long: 'x'.repeat(5000),
};

/** Values refused, with the words of the refusal. */
const REFUSED: Array<[string, string, RegExp]> = [
  ['newline', '60\nserver.9=evil:2888:3888', /line break/],
  ['carriageReturn', 'a\rb', /line break/],
  ['tab', 'a\tb', /control character/],
  ['nul', 'a\u0000b', /control character/],
  ['escape', 'a\u001bb', /control character/],
  ['leadingBlank', ' x', /leading or trailing blanks/],
  ['trailingBlank', 'x ', /leading or trailing blanks/],
  ['empty', '', /is empty/],
];

/** Keys refused: they could be read back as another key, or zkfleet manages them. */
const REFUSED_KEYS: Array<[string, RegExp]> = [
  ['a b', /not a valid zoo.cfg key/],
  ['a=b', /not a valid zoo.cfg key/],
  ['a:b', /not a valid zoo.cfg key/],
  ['#comment', /not a valid zoo.cfg key/],
  ['ключ', /not a valid zoo.cfg key/],
  ['dataDir', /managed by zkfleet/],
  ['server.9', /managed by zkfleet/],
  ['snapshot.trust.empty', /managed by zkfleet/],
];

const base: ZooCfgInput = {
  tickTime: 2000,
  initLimit: 10,
  syncLimit: 5,
  dataDir: '/data/zk\\data/数据',
  dataLogDir: '/data/zookeeper/logs with space',
  clientPort: 2181,
  fourLetterWords: 'srvr,mntr,ruok',
  autopurgeSnapRetainCount: 3,
  autopurgePurgeInterval: 24,
  observer: false,
  extra: FAITHFUL,
  servers: [{ id: 1, host: 'zk1.zq.com', quorumPort: 2888, electionPort: 3888, observer: false }],
};

async function javaReads(file: string): Promise<Map<string, string>> {
  const out = await sh(JAVA, [path.join(REPO, 'test/fixtures/PropsDump.java'), file]);
  const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return new Map(
    out.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(decode) as [string, string]),
  );
}

test('every accepted value reads back the same through java.util.Properties', async (t) => {
  const dir = tmpDir(t);
  const file = path.join(dir, 'zoo.cfg');
  writeFileSync(file, renderZooCfg(base));
  const read = await javaReads(file);
  for (const [k, v] of Object.entries(FAITHFUL)) assert.equal(read.get(k), v, `extra ${k}`);
  assert.equal(read.get('dataDir'), base.dataDir);
  assert.equal(read.get('dataLogDir'), base.dataLogDir);
  assert.equal(read.get('server.1'), 'zk1.zq.com:2888:3888');
  assert.equal(read.get('tickTime'), '2000');
  const expectedKeys = Object.keys(FAITHFUL).length + 11;
  assert.equal(read.size, expectedKeys, [...read.keys()].join(' '));
});

/** An ensemble file with one extra key, checked as `coordinator deploy` checks it. */
async function checkExtra(dir: string, key: string, value: string): Promise<ConfigError> {
  const pki = path.join(dir, 'pki');
  mkdirSync(pki, { recursive: true });
  for (const f of ['ca.crt', 'coordinator.crt', 'coordinator.key']) writeFileSync(path.join(pki, f), '');
  const file = path.join(dir, 'ensemble.yaml');
  const yaml = [
    'name: props',
    'pki: pki',
    'artifacts:',
    `  jdk: { path: jdk.tgz, sha256: ${'a'.repeat(64)} }`,
    `  zookeeper: { path: zk.tgz, sha256: ${'b'.repeat(64)} }`,
    'hosts:',
    '  - { name: h1, address: 10.0.0.1, agent: "10.0.0.1:7443", roles: [zookeeper] }',
    'zookeeper:',
    '  extra:',
    `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`,
  ].join('\n');
  writeFileSync(file, yaml + '\n');
  const err = await loadEnsemble(file, { checkArtifacts: false }).then(
    () => undefined,
    (e: ConfigError) => e,
  );
  assert.ok(err, `${JSON.stringify(key)}: ${JSON.stringify(value)} was accepted`);
  return err;
}

test('values that cannot be written faithfully are refused at the file check, with the field and line', async (t) => {
  const dir = tmpDir(t);
  for (const [key, value, why] of REFUSED) {
    const err = await checkExtra(dir, key, value);
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.match(err.problems.join('\n'), new RegExp(`ensemble\\.yaml:10: zookeeper\\.extra\\.${key}: `));
    assert.match(err.problems.join('\n'), why, key);
  }
});

test('keys that could be read back as another key, or that zkfleet manages, are refused', async (t) => {
  const dir = tmpDir(t);
  for (const [key, why] of REFUSED_KEYS) {
    const err = await checkExtra(dir, key, 'x');
    assert.match(err.problems.join('\n'), /ensemble\.yaml:10: zookeeper\.extra\./);
    assert.match(err.problems.join('\n'), why, key);
  }
});

test('the renderer itself refuses what the file check refuses (the agent trusts no caller)', () => {
  for (const [key, value] of REFUSED) {
    assert.throws(() => renderZooCfg({ ...base, extra: { [key]: value } }), { code: 'INVALID_ARGUMENT' }, key);
  }
  assert.throws(() => renderZooCfg({ ...base, dataDir: '/data/zk ' }), { code: 'INVALID_ARGUMENT' });
});
