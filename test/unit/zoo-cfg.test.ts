import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCfgChange, extraKeyProblem, parseZooCfg, renderZooCfg } from '../../shared/zookeeper/zoo-cfg';

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
