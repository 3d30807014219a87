import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { identityOf, loadTls } from '../../shared/pki/tls';
import { AGENT, cli, tmpDir } from '../helpers';
import { sh } from '../sandbox/sh';

test('coordinator pki: CA, coordinator and agent certificates; keys 0600; roles in the certificates', async (t) => {
  const dir = path.join(tmpDir(t), 'pki');
  const init = await cli(['pki', 'init', dir, '--ip', '10.4.7.200', '--json']);
  assert.equal(init.code, 0, init.stderr);
  assert.equal(JSON.parse(init.stdout).created, true);
  const again = await cli(['pki', 'init', dir]);
  assert.match(again.stdout, /already has a CA: nothing changed/);
  const issue = await cli([
    'pki',
    'issue',
    'hdss7-11',
    '--dir',
    dir,
    '--ip',
    '10.4.7.11',
    '--dns',
    'hdss7-11.host.com',
  ]);
  assert.equal(issue.code, 0, issue.stderr);
  for (const key of [pkiPaths(dir).caKey, certPaths(dir, 'coordinator').key, certPaths(dir, 'hdss7-11').key]) {
    assert.equal(statSync(key).mode & 0o777, 0o600, `${key} is 0600`);
  }
  const agent = new X509Certificate(readFileSync(certPaths(dir, 'hdss7-11').cert));
  assert.ok(agent.verify(new X509Certificate(readFileSync(pkiPaths(dir).caCert)).publicKey));
  assert.match(agent.subjectAltName ?? '', /IP Address:10\.4\.7\.11/);
  assert.match(agent.subjectAltName ?? '', /DNS:hdss7-11\.host\.com/);
  const id = identityOf({ subject: { CN: 'hdss7-11', OU: 'zkfleet-agent' } });
  assert.deepEqual(id, { role: 'agent', name: 'hdss7-11' });
  const bad = await cli(['pki', 'issue', 'bad name', '--dir', dir]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /must be a host name/);
});

test('agent config: a bad file stops the agent before anything, naming the field and the line', async (t) => {
  const dir = tmpDir(t);
  const file = path.join(dir, 'agent.yaml');
  writeFileSync(
    file,
    'name: hdss7-11\nlisten: 10.4.7.11\ntls: { ca: /x/ca.crt, cert: /x/a.crt, key: relative.key }\ncapabilities: [zookeeper, dsn]\nrooot: /\n',
  );
  const r = await sh(process.execPath, [AGENT, '--config', file, '--check'], { allowFail: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`${file}:2: listen: must be host:port`));
  assert.match(r.stderr, new RegExp(`${file}:3: tls.key: must be an absolute path`));
  assert.match(r.stderr, new RegExp(`${file}:4: capabilities\\[1\\]: `));
  assert.match(r.stderr, new RegExp(`${file}:5: rooot: unknown key "rooot"`));
});

test('TLS files: every one that cannot be read is named, always in the order ca, cert, key', async (t) => {
  const dir = tmpDir(t);
  const ca = path.join(dir, 'ca.crt');
  writeFileSync(ca, 'x');
  // Run several times: with the reads in parallel, which failure came back first used to decide the message.
  for (let i = 0; i < 20; i++) {
    const missing = { ca: path.join(dir, 'no-ca.crt'), cert: path.join(dir, 'no.crt'), key: path.join(dir, 'no.key') };
    await assert.rejects(loadTls(missing), {
      message:
        `cannot read TLS ca ${missing.ca}: ENOENT; cannot read TLS cert ${missing.cert}: ENOENT; ` +
        `cannot read TLS key ${missing.key}: ENOENT`,
    });
    await assert.rejects(loadTls({ ...missing, ca }), {
      message: `cannot read TLS cert ${missing.cert}: ENOENT; cannot read TLS key ${missing.key}: ENOENT`,
    });
  }
  const m = await loadTls({ ca, cert: ca, key: ca });
  assert.equal(m.key.toString(), 'x');
});
