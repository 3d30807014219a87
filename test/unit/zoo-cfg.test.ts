import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cfgSettings,
  describeCfgChange,
  dynamicMembers,
  dynamicVersion,
  extraKeyProblem,
  parseZooCfg,
  renderDynamicCfg,
  renderZooCfg,
} from '../../shared/zookeeper/zoo-cfg';

const base = {
  tickTime: 2000,
  initLimit: 10,
  syncLimit: 5,
  dataDir: '/data/zookeeper/data',
  dataLogDir: '/data/zookeeper/logs',
  clientPort: 2181,
  fourLetterWords: 'srvr,mntr,ruok',
  autopurgeSnapRetainCount: 3,
  autopurgePurgeInterval: 24,
  observer: false,
  extra: {},
  servers: [3, 1, 2].map((id) => ({
    id,
    host: `zk${id}.zq.com`,
    quorumPort: 2888,
    electionPort: 3888,
    observer: false,
  })),
};

test('renders the runbook keys, the 4lw whitelist and server.N lines in id order', () => {
  const cfg = parseZooCfg(renderZooCfg(base));
  assert.equal(cfg.get('tickTime'), '2000');
  assert.equal(cfg.get('dataDir'), '/data/zookeeper/data');
  assert.equal(cfg.get('4lw.commands.whitelist'), 'srvr,mntr,ruok');
  assert.equal(cfg.get('admin.enableServer'), 'false');
  const text = renderZooCfg(base);
  assert.ok(text.indexOf('server.1=zk1.zq.com:2888:3888') < text.indexOf('server.3=zk3.zq.com:2888:3888'));
});

test('extra keys: a newline cannot smuggle a second key; managed keys are refused', () => {
  assert.match(extraKeyProblem('maxClientCnxns', '60\nserver.9=evil:2888:3888') ?? '', /line break/);
  assert.match(extraKeyProblem('server.9', 'x:1:2') ?? '', /managed by zkfleet/);
  assert.match(extraKeyProblem('dataDir', '/tmp') ?? '', /managed by zkfleet/);
  assert.match(extraKeyProblem('bad key', '1') ?? '', /not a valid/);
  assert.equal(extraKeyProblem('maxClientCnxns', '60'), undefined);
  assert.throws(() => renderZooCfg({ ...base, extra: { 'a.b': 'x\ny=1' } }), { code: 'INVALID_ARGUMENT' });
});

test('describes a change key by key', () => {
  const a = renderZooCfg(base);
  const b = renderZooCfg({ ...base, tickTime: 3000, extra: { maxClientCnxns: '100' } });
  assert.equal(describeCfgChange(a, b), 'zoo.cfg: tickTime 2000→3000, maxClientCnxns added');
});

const dynamic = { file: '/opt/zookeeper/conf/zoo.cfg.dynamic' };
const superDigest = 'super:kdkHZPry8XrtME7WGJ+d+Md0E1w=';

test('reconfig: zoo.cfg holds no server list and no client port; the dynamic file holds both', () => {
  const cfg = parseZooCfg(renderZooCfg({ ...base, observer: true, dynamic, superDigest }));
  assert.equal(cfg.get('reconfigEnabled'), 'true');
  assert.equal(cfg.get('standaloneEnabled'), 'false');
  assert.equal(cfg.get('dynamicConfigFile'), dynamic.file);
  assert.equal(cfg.get('DigestAuthenticationProvider.superDigest'), superDigest);
  for (const k of ['clientPort', 'peerType', 'server.1']) assert.equal(cfg.has(k), false, k);
  const servers = [
    ...base.servers,
    { id: 4, host: 'zk4.zq.com', quorumPort: 2888, electionPort: 3888, observer: true },
  ];
  assert.equal(
    renderDynamicCfg({ servers, clientPort: 2181 }),
    [1, 2, 3].map((i) => `server.${i}=zk${i}.zq.com:2888:3888:participant;0.0.0.0:2181\n`).join('') +
      'server.4=zk4.zq.com:2888:3888:observer;0.0.0.0:2181\n',
  );
  assert.match(renderDynamicCfg({ servers, clientPort: 2181, clientPortAddress: '10.4.7.11' }), /;zk1\.zq\.com:2181\n/);
});

test("reconfig: ZooKeeper's own rewrite of zoo.cfg (hash order, no comment, its pointer) is the same settings", () => {
  const ours = renderZooCfg({ ...base, dynamic });
  const theirs = [...parseZooCfg(ours)]
    .reverse()
    .map(([k, v]) => `${k}=${k === 'dynamicConfigFile' ? `${v}.100000002` : v}`)
    .join('\n');
  assert.equal(cfgSettings(theirs), cfgSettings(ours));
  assert.notEqual(cfgSettings(theirs.replace('tickTime=2000', 'tickTime=3000')), cfgSettings(ours));
  // Without reconfig a file is its text: a reordering is a change, as before.
  const plain = renderZooCfg(base);
  assert.equal(cfgSettings(plain), plain);
});

test('the members and version of a dynamic file or a config read from ZooKeeper', () => {
  const config =
    'server.3=zk3:2888:3888:participant;0.0.0.0:2181\nserver.1=zk1:2888:3888:participant;0.0.0.0:2181\n' +
    'server.5=zk5:2888:3888:observer;0.0.0.0:2181\nversion=100000002\n';
  assert.equal(dynamicMembers(config), '1,3,5(observer)');
  assert.equal(dynamicVersion('/opt/zookeeper/conf/zoo.cfg.dynamic.100000002'), '100000002');
  assert.equal(dynamicVersion('/opt/zookeeper/conf/zoo.cfg.dynamic'), '');
});

test("ZooKeeper's Prometheus provider in zoo.cfg: class, port, and the host address when given (3.8+)", () => {
  const cfg = parseZooCfg(renderZooCfg({ ...base, prometheus: { port: 7000, host: '10.4.7.11' } }));
  assert.equal(
    cfg.get('metricsProvider.className'),
    'org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider',
  );
  assert.equal(cfg.get('metricsProvider.httpPort'), '7000');
  assert.equal(cfg.get('metricsProvider.httpHost'), '10.4.7.11');
  assert.equal(
    parseZooCfg(renderZooCfg({ ...base, prometheus: { port: 7000 } })).has('metricsProvider.httpHost'),
    false,
  );
  assert.equal(parseZooCfg(renderZooCfg(base)).has('metricsProvider.className'), false);
});

test('client authentication: the super digest, and enforcement by digest when asked', () => {
  const cfg = parseZooCfg(renderZooCfg({ ...base, superDigest, enforceAuth: true }));
  assert.equal(cfg.get('DigestAuthenticationProvider.superDigest'), superDigest);
  assert.equal(cfg.get('enforce.auth.enabled'), 'true');
  assert.equal(cfg.get('enforce.auth.schemes'), 'digest');
  assert.equal(parseZooCfg(renderZooCfg(base)).has('enforce.auth.enabled'), false);
  assert.match(extraKeyProblem('enforce.auth.enabled', 'false') ?? '', /managed by zkfleet/);
});

test("TLS in zoo.cfg: the quorum stage's and the client's keys, an operator's serverCnxnFactory kept once", () => {
  const t = { stage: 'quorum_tls_only' as const, client: 'client_tls_only' as const, securePort: 2281 };
  const tls = { ...base, tls: { ...t, dir: '/opt/zookeeper-tls' } };
  const cfg = parseZooCfg(renderZooCfg(tls));
  assert.equal(cfg.get('sslQuorum'), 'true');
  assert.equal(cfg.get('secureClientPort'), '2281');
  const own = renderZooCfg({ ...tls, extra: { serverCnxnFactory: 'com.example.Own' } });
  assert.equal(own.match(/^serverCnxnFactory=/gm)?.length, 1);
  assert.equal(parseZooCfg(own).get('serverCnxnFactory'), 'com.example.Own');
  assert.throws(() => renderZooCfg({ ...tls, extra: { sslQuorum: 'false' } }), /"sslQuorum" is managed by zkfleet/);
});
