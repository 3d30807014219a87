import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadChecked } from '../../agent/daemon/lifecycle';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { sha256 } from '../../shared/hash';
import { certPaths, initCa, issueCertificate, pkiPaths } from '../../shared/pki/pki';
import { zkfleetProto } from '../../shared/proto';
import { loadTls } from '../../shared/pki/tls';
import { tmpDir } from '../helpers';
import { localAgent, localPki } from './local-fleet';

const facts = (a: AgentConnection) => a.facts({}, { timeoutMs: 3000 });

function callWith(address: string, creds: grpc.ChannelCredentials): Promise<grpc.ServiceError | undefined> {
  const c = new (zkfleetProto().zkfleet.v1.Agent)(address, creds);
  return new Promise((resolve) => {
    c.Facts({}, { deadline: Date.now() + 3000 }, (err) => {
      c.close();
      resolve(err ?? undefined);
    });
  });
}

test('facts over mTLS from an agent on port 0; nothing assumed where nothing was asked', async (t) => {
  const a = await localAgent(t);
  const f = await facts(a.client);
  assert.equal(f.name, 'local-1');
  assert.equal(f.zookeeperMode, 'not_configured');
  assert.deepEqual(f.disks, [], 'no data directory asked about, none looked at');
  assert.deepEqual(f.capabilities, ['zookeeper', 'exec']);
});

test('a plain-TCP client and a client of another CA fail the handshake', async (t) => {
  const a = await localAgent(t);
  const address = `127.0.0.1:${a.daemon.port}`;
  assert.equal((await callWith(address, grpc.credentials.createInsecure()))?.code, grpc.status.UNAVAILABLE);
  const other = path.join(tmpDir(t), 'other');
  await initCa(other);
  const foreign = await loadTls({ ca: pkiPaths(a.pki).caCert, ...certPaths(other, 'coordinator') });
  const creds = grpc.credentials.createSsl(foreign.ca, foreign.key, foreign.cert, {
    checkServerIdentity: () => undefined,
  });
  assert.equal((await callWith(address, creds))?.code, grpc.status.UNAVAILABLE);
});

test("an agent's certificate may not call an agent", async (t) => {
  const a = await localAgent(t);
  await issueCertificate(a.pki, { name: 'local-2', role: 'agent', ips: ['127.0.0.1'] });
  const m = await loadTls({ ca: pkiPaths(a.pki).caCert, ...certPaths(a.pki, 'local-2') });
  const creds = grpc.credentials.createSsl(m.ca, m.key, m.cert, { checkServerIdentity: () => undefined });
  const err = await callWith(`127.0.0.1:${a.daemon.port}`, creds);
  assert.equal(err?.code, grpc.status.PERMISSION_DENIED);
  assert.match(
    err!.details,
    /only a coordinator certificate may call this; the client presented agent certificate "local-2"/,
  );
});

test("the coordinator refuses an agent that presents another host's certificate, and says so", async (t) => {
  const a = await localAgent(t);
  const impostor = new AgentConnection('local-9', `127.0.0.1:${a.daemon.port}`, a.coordinatorTls);
  t.after(() => impostor.close());
  await assert.rejects(impostor.waitReady(3000), (e: { code: string; message: string }) => {
    assert.equal(e.code, 'UNAVAILABLE');
    assert.match(e.message, /presents the certificate of "local-1": a certificate for another host/);
    return true;
  });
});

test('a digest mismatch is refused with its fields, and nothing is kept', async (t) => {
  const a = await localAgent(t);
  const file = path.join(a.dir, 'blob');
  writeFileSync(file, 'some bytes');
  const wrong = sha256('other bytes');
  await assert.rejects(
    a.client.upload(file, wrong, 10, 'blob', () => undefined),
    (e: { code: string; details: object }) => {
      assert.equal(e.code, 'DIGEST_MISMATCH');
      assert.deepEqual(e.details, {
        expectedSha256: wrong,
        expectedSize: 10,
        actualSha256: sha256('some bytes'),
        actualSize: 10,
      });
      return true;
    },
  );
  const store = path.join(a.dir, 'state/artifacts');
  assert.deepEqual(existsSync(store) ? readdirSync(store) : [], []);
  assert.equal((await a.client.hasArtifact(wrong)).present, false);
});

test('an upload is kept under its digest once; the second is a no-op', async (t) => {
  const a = await localAgent(t);
  const file = path.join(a.dir, 'blob');
  writeFileSync(file, 'x'.repeat(3 << 20));
  const digest = sha256('x'.repeat(3 << 20));
  assert.equal((await a.client.upload(file, digest, 3 << 20, 'blob', () => undefined)).changed, true);
  assert.equal((await a.client.upload(file, digest, 3 << 20, 'blob', () => undefined)).changed, false);
  assert.deepEqual(await a.client.hasArtifact(digest), { present: true, size: 3 << 20 });
});

test('a missing field is refused, never filled with a default by the agent', async (t) => {
  const a = await localAgent(t);
  await assert.rejects(
    a.client.installJdk({ sha256: 'a'.repeat(64), installDir: '/usr/java' }),
    (e: { code: string; message: string }) => e.code === 'INVALID_ARGUMENT' && /linkName is required/.test(e.message),
  );
  await assert.rejects(
    a.client.upsertDnsRecords({ zone: 'zq.com', zoneFile: '/var/named/zq.com.zone', records: [] }),
    (e: { code: string }) => e.code === 'CAPABILITY_DISABLED',
  );
});

test('a path with a .. segment is refused at the agent', async (t) => {
  const a = await localAgent(t);
  await assert.rejects(
    a.client.installJdk({ sha256: 'a'.repeat(64), installDir: '/usr/java/../../etc', linkName: 'jdk' }),
    (e: { code: string; message: string }) =>
      e.code === 'INVALID_ARGUMENT' && /must not contain a \.\. segment/.test(e.message),
  );
});

test('exec runs in the host root, streams, and is audited; a config reload switches it off and on', async (t) => {
  const a = await localAgent(t);
  let out = '';
  const sink = { stdout: (b: Buffer) => (out += b), stderr: () => undefined };
  const exit = await a.client.exec({ argv: ['pwd'], requestedBy: 'test' }, sink);
  assert.equal(exit.code, 0);
  assert.equal(out.trim(), a.root);
  assert.ok(a.logLines.some((l) => /"message":"exec"/.test(l) && /"audit":true/.test(l)));
  a.writeConfig('[zookeeper]');
  await a.daemon.reload();
  await assert.rejects(
    a.client.exec({ argv: ['true'] }, sink),
    (e: { code: string }) => e.code === 'CAPABILITY_DISABLED',
  );
  a.writeConfig('[zookeeper, exec]');
  await a.daemon.reload();
  assert.equal((await a.client.exec({ argv: ['true'] }, sink)).code, 0);
});

test("an agent does not start with another host's certificate or a broken config", async (t) => {
  const pki = await localPki(t);
  const a = await localAgent(t, { pki, name: 'local-1' });
  await issueCertificate(pki, { name: 'local-2', role: 'agent', ips: ['127.0.0.1'] });
  const text = (await import('node:fs')).readFileSync(a.configFile, 'utf8');
  writeFileSync(a.configFile, text.replace(/local-1\.(crt|key)/g, 'local-2.$1'));
  await assert.rejects(loadChecked(a.configFile), /is for "local-2", but this agent is "local-1"/);
  writeFileSync(a.configFile, text + 'rooot: /\n');
  await assert.rejects(loadChecked(a.configFile), /agent\.yaml:7: rooot: unknown key "rooot"/);
});

test('stop drains and is safe to call twice; a stopped agent refuses connections', async (t) => {
  const a = await localAgent(t);
  await facts(a.client);
  await Promise.all([a.daemon.stop(), a.daemon.stop()]);
  assert.equal(a.daemon.state, 'STOPPED');
  await sleep(50);
  await assert.rejects(facts(a.client), (e: { code: string }) => e.code === 'UNAVAILABLE');
});

/** A tarball of `top/` with the given files (mode 0755), made with the system's tar. */
function tarball(dir: string, top: string, files: Record<string, string>): { file: string; sha: string } {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, top, name)), { recursive: true });
    writeFileSync(path.join(dir, top, name), text, { mode: 0o755 });
  }
  const file = path.join(dir, `${top}.tar.gz`);
  execFileSync('tar', ['-C', dir, '-czf', file, top]);
  return { file, sha: sha256(readFileSync(file)) };
}

test('the JDK and ZooKeeper installed at once into one directory: both trees whole, linked, pruned apart', async (t) => {
  const a = await localAgent(t);
  const jdk = tarball(a.dir, 'jdk-17', { 'bin/java': '#!/bin/sh\necho \'openjdk version "17.0.9"\' >&2\n' });
  const zk = tarball(a.dir, 'apache-zookeeper-3.8.0-bin', { 'bin/zkServer.sh': '#!/bin/sh\n', 'lib/x.jar': 'x' });
  for (const x of [jdk, zk]) await a.client.upload(x.file, x.sha, statSync(x.file).size, 'tarball', () => undefined);
  const req = (sha256: string, linkName: string) => ({ sha256, installDir: '/opt', linkName, dryRun: false });
  const [j, z] = await Promise.all([
    a.client.installJdk(req(jdk.sha, 'jdk')),
    a.client.installZooKeeper(req(zk.sha, 'zookeeper')),
  ]);
  assert.deepEqual([j.changed, j.version, z.changed, z.version], [true, '17.0.9', true, '3.8.0']);
  const opt = path.join(a.dir, 'root/opt');
  assert.equal(readlinkSync(path.join(opt, 'jdk')), 'jdk-17');
  assert.equal(readlinkSync(path.join(opt, 'zookeeper')), 'zookeeper-3.8.0');
  assert.deepEqual(readdirSync(path.join(opt, 'jdk/bin')), ['java']);
  assert.deepEqual(readdirSync(path.join(opt, 'zookeeper/bin')), ['zkServer.sh']);
  assert.deepEqual(
    readdirSync(opt).filter((n) => n.startsWith('.zkf-')),
    [],
  );
});

test('a large tarball unpacked as it uploads leaves no listeners behind (Node warned of a leak)', async (t) => {
  const a = await localAgent(t);
  // 32 MB that gzip barely shrinks: every 1 MiB piece fills the inflater's buffer, and each wait for room used
  // to leave a listener on it.
  const jdk = tarball(a.dir, 'jdk-21', {
    'bin/java': '#!/bin/sh\necho \'openjdk version "21.0.1"\' >&2\n',
    'lib/modules': randomBytes(24 << 20).toString('base64'),
  });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  await a.client.upload(jdk.file, jdk.sha, statSync(jdk.file).size, 'jdk', () => undefined, {
    unpackInto: '/usr/java',
  });
  const installed = await a.client.installJdk({ sha256: jdk.sha, installDir: '/usr/java', linkName: 'jdk' });
  assert.match(installed.description, /unpacked to jdk-21 as it uploaded/);
  await sleep(100); // warnings are emitted on the next tick
  assert.deepEqual(warnings, []);
});

test('a tarball unpacked as it uploads: the install takes that tree; a bad digest or archive leaves nothing', async (t) => {
  const a = await localAgent(t);
  const root = path.join(a.dir, 'root');
  const upload = (x: { file: string; sha: string }, into: string) =>
    a.client.upload(x.file, x.sha, statSync(x.file).size, path.basename(x.file), () => undefined, {
      unpackInto: into,
    });
  const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('.zkf-')) : []);

  const jdk = tarball(a.dir, 'jdk-17', { 'bin/java': '#!/bin/sh\necho \'openjdk version "17.0.9"\' >&2\n' });
  await upload(jdk, '/usr/java');
  const installed = await a.client.installJdk({ sha256: jdk.sha, installDir: '/usr/java', linkName: 'jdk' });
  assert.match(installed.description, /unpacked to jdk-17 as it uploaded/);
  assert.deepEqual(readdirSync(path.join(root, 'usr/java/jdk/bin')), ['java']);
  assert.deepEqual(leftovers(path.join(root, 'usr/java')), []);

  // The same tarball again (a store emptied by hand, the tree kept): unpacked as it uploads, then not needed:
  // the install keeps its tree and removes the new one at once.
  await upload(jdk, '/usr/java');
  assert.equal(leftovers(path.join(root, 'usr/java')).length, 1, 'unpacked as it uploaded');
  const again = await a.client.installJdk({ sha256: jdk.sha, installDir: '/usr/java', linkName: 'jdk' });
  assert.equal(again.changed, false);
  assert.deepEqual(leftovers(path.join(root, 'usr/java')), []);

  // One byte off: refused with the digests; neither the store nor /opt keeps anything of it.
  const zk = tarball(a.dir, 'apache-zookeeper-3.8.0-bin', { 'bin/zkServer.sh': '#!/bin/sh\n' });
  const wrong = { file: zk.file, sha: sha256('not the tarball') };
  await assert.rejects(upload(wrong, '/opt'), (e: { code: string }) => e.code === 'DIGEST_MISMATCH');
  assert.deepEqual(existsSync(path.join(root, 'opt')) ? readdirSync(path.join(root, 'opt')) : [], []);
  assert.equal((await a.client.hasArtifact(wrong.sha)).present, false);

  // A link out of the archive and a file written through it: stored (the store does not judge contents),
  // never unpacked; the install refuses it and nothing lands outside.
  const outside = path.join(a.dir, 'outside');
  mkdirSync(outside);
  const src = path.join(a.dir, 'evil-src');
  mkdirSync(path.join(src, 'jdk-9', 'bin'), { recursive: true });
  writeFileSync(path.join(src, 'jdk-9', 'bin', 'java'), '#!/bin/sh\n');
  symlinkSync(outside, path.join(src, 'jdk-9', 'out'));
  writeFileSync(path.join(src, 'pwned'), 'x');
  const plain = path.join(a.dir, 'evil.tar');
  execFileSync('tar', ['-C', src, '-cf', plain, 'jdk-9']);
  execFileSync('tar', ['-C', src, '-rf', plain, '--transform', 's,^pwned,jdk-9/out/pwned,', 'pwned']);
  execFileSync('gzip', ['-k', plain]);
  const evil = { file: `${plain}.gz`, sha: sha256(readFileSync(`${plain}.gz`)) };
  await upload(evil, '/srv');
  await assert.rejects(
    a.client.installJdk({ sha256: evil.sha, installDir: '/srv', linkName: 'jdk' }),
    (e: { code: string; message: string }) => e.code === 'UNSAFE_ARCHIVE' && /jdk-9\/out/.test(e.message),
  );
  assert.deepEqual(readdirSync(outside), []);
  assert.deepEqual(leftovers(path.join(root, 'srv')), []);
});
