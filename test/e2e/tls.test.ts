import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { DeployResult } from '../../coordinator/deploy';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { certPaths, pkiPaths, signRequest } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { readState } from '../../coordinator/ensemble/state';
import { connectZk } from '../../coordinator/zookeeper/client';
import { cli, COORDINATOR, seriesValue, withSandbox } from '../helpers';
import { zookeeper34Tarball } from '../sandbox/artifacts';
import { ensembleYaml, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { assertWritesKept, startWrites, watchDown } from '../writes';

const run = promisify(execFile);
const ELECTION_PORT = 3888;

/** What `openssl s_client` sees on a port: whether the chain verified against the CA, and the leaf's SANs. */
async function tlsOn(address: string, port: number, ca: string): Promise<{ verified: boolean; sans: string }> {
  const out = await run('bash', [
    '-c',
    `echo | timeout 10 openssl s_client -connect ${address}:${port} -CAfile ${ca} -showcerts 2>&1 || true`,
  ]);
  const leaf = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(out.stdout)?.[0];
  return {
    verified: /Verify return code: 0 \(ok\)/.test(out.stdout),
    sans: leaf ? (new X509Certificate(leaf).subjectAltName ?? '') : '',
  };
}

/** `deploy` run until its progress shows `at`, then killed (-9); what it printed. */
function killedAt(file: string, at: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [COORDINATOR, 'deploy', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let seen = '';
    p.stderr!.on('data', (c) => {
      seen += c;
      if (at.test(seen)) p.kill('SIGKILL');
    });
    p.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`the deploy ended before ${at}:\n${seen.slice(-2000)}`)),
    );
  });
}

/** Every file under `dir` (the coordinator's PKI and state), for the search for a server's key. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Quorum TLS on 3.8.0 the Administrator's Guide's way: refused on 3.4.13 before anything is touched; then a
 * plaintext ensemble moved to TLS in three verified rolls while a client writes; a certificate about to expire
 * renewed by the next deploy; and TLS turned off again by the same three stages in reverse.
 */
test(
  'TLS: quorum (three rolls) and clients under writes, renewal, membership, and out again',
  { timeout: 1_200_000 },
  async (t) => {
    const all = await withSandbox(t, { prefix: 'zkq', subnet: 88, hosts: RUNBOOK_HOSTS, spare: 1 });
    // The runbook's three servers; the spare joins (and leaves) under TLS at the end.
    const sb = { ...all, hosts: all.hosts.filter((h) => !h.spare) };
    const spare = all.hosts.find((h) => h.spare)!;
    const file = sb.ensembleFile;
    const stateDir = path.join(path.dirname(file), '.zkfleet/dubbo-zk');
    const tlsOnOff = (on: boolean, client = 'off') => `  tls: { quorum: ${on}, client: ${client} }\n`;
    const use = (tls: string, artifacts = {}, withSpare = false) =>
      fs.writeFile(
        file,
        ensembleYaml(all, '', (h) => withSpare || !h.spare, artifacts).replace('  extra: {}\n', `  extra: {}\n${tls}`),
      );
    const deploy = async () => {
      const r = await cli(['deploy', file, '--json'], { timeoutMs: 900_000 });
      const result = JSON.parse(r.stdout) as DeployResult;
      return { ...r, result, why: `${r.stderr.slice(-2500)}\n${JSON.stringify(result.error)}` };
    };
    const ca = pkiPaths(sb.pkiDir).caCert;
    const tls = await loadTls({ ca, ...certPaths(sb.pkiDir, 'coordinator') });
    const agents = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
    t.after(() => agents.forEach((a) => a.close()));
    const connect = sb.hosts.map((h) => `${h.address}:2181`).join(',');

    await t.test('asked on 3.4.13: refused with the version needed, before any host is touched', async () => {
      await use(tlsOnOff(true), { zookeeper: await zookeeper34Tarball() });
      const r = await deploy();
      assert.equal(r.code, 1, r.why);
      assert.equal(r.result.error?.code, 'VERSION_UNSUPPORTED');
      assert.match(r.result.error?.message ?? '', /ZooKeeper 3\.4\.13 .*needs 3\.5\.5 or later.*Nothing was changed/);
      const modes = (await Promise.all(agents.map((a) => a.zooKeeperStatus()))).map((s) => s.mode);
      assert.deepEqual(modes, ['not_configured', 'not_configured', 'not_configured']);
    });

    // A service's certificate from `coordinator pki client`: how the independent writer reaches the secure port.
    const clientCert = async (name: string, dir = sb.pkiDir) => {
      const r = await cli(['pki', 'client', name, '--dir', dir, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { cert: string; key: string; keyStore: string; jvmFlags: string[] };
      return { out, material: await loadTls({ ca, cert: out.cert, key: out.key }) };
    };
    const secure = sb.hosts.map((h) => `${h.address}:2281`).join(',');

    await t.test(
      'a plaintext ensemble moved to quorum TLS and client TLS under writes, the writer moving over',
      async () => {
        await use('');
        assert.equal((await deploy()).code, 0);
        const writes = await startWrites(t, connect, '/tls-writes');
        const watch = watchDown(t, agents);
        await use(tlsOnOff(true, 'both'));
        // The coordinator killed in the second stage's roll: the re-run goes on from the stage recorded.
        const first = await killedAt(file, /quorum TLS stage quorum_tls_unified \(2 of 3\)/);
        assert.match(
          first,
          /1\. quorum_unified: portUnification on .*\n.*2\. quorum_tls_unified: .*\n.*3\. quorum_tls_only/,
        );
        assert.equal((await readState(stateDir)).quorumTls, 'quorum_unified', 'the first stage is recorded as reached');
        const r = await deploy();
        assert.equal(r.code, 0, r.why);
        assert.deepEqual(r.result.quorumTls?.stages, ['quorum_tls_unified', 'quorum_tls_only']);
        assert.match(r.stderr, /quorum TLS stage quorum_tls_only reached on 3 servers, quorum verified/);
        const plain = await assertWritesKept(writes, watch, sb.hosts, '/tls-writes');
        // The application moves to the secure port (both ports serve), then the plain one is closed by one roll.
        const { out, material } = await clientCert('dubbo-writer');
        assert.ok(out.jvmFlags.includes('-Dzookeeper.client.secure=true'), out.jvmFlags.join(' '));
        assert.equal(statSync(out.key).mode & 0o777, 0o600);
        const tlsWrites = await startWrites(t, secure, '/tls-writes-secure', { tls: material });
        const tlsWatch = watchDown(t, agents);
        await use(tlsOnOff(true, 'only'));
        const only = await deploy();
        assert.equal(only.code, 0, only.why);
        assert.equal(only.result.hosts.filter((h) => h.restarted).length, 3, 'one roll');
        assert.equal(only.result.quorumTls, undefined);
        const kept = await assertWritesKept(
          tlsWrites,
          tlsWatch,
          sb.hosts,
          '/tls-writes-secure',
          { tls: material },
          2281,
        );
        t.diagnostic(
          `quorum TLS and client TLS rolled in: writes acknowledged ${plain.tally.acked} plaintext, then ` +
            `${kept.tally.acked} over TLS, each found on every server; max down ${Math.max(plain.maxDown, kept.maxDown)}`,
        );
      },
    );

    await t.test(
      "client TLS only: a plaintext client and another CA's certificate refused on every server",
      async () => {
        const other = path.join(sb.dir, 'other-ca');
        await cli(['pki', 'init', other]);
        const foreign = await clientCert('intruder', other);
        const wrongCa = { ...foreign.material, ca: readFileSync(ca) };
        for (const h of sb.hosts) {
          await assert.rejects(connectZk(`${h.address}:2181`, 3000), /no ZooKeeper session/, `${h.name}: plaintext`);
          await assert.rejects(
            connectZk(`${h.address}:2281`, 3000, 10_000, undefined, undefined, wrongCa),
            /no ZooKeeper session/,
            `${h.name}: another CA's certificate`,
          );
          const seen = await tlsOn(h.address, 2281, ca);
          assert.ok(seen.verified, `${h.name}:2281 has no chain to zkfleet's CA`);
          assert.match(seen.sans, new RegExp(`IP Address:${h.address.replace(/\./g, '\\.')}`));
        }
        const status = await cli(['status', file]);
        assert.match(status.stdout, /^registry {2}zookeeper:\/\/\S+:2281\?backup=\S+ \(TLS on 2281: /m);
      },
    );

    await t.test(
      'afterwards: TLS only on every election port, a chain to the CA with the SANs, keys on the hosts',
      async () => {
        for (const [i, h] of sb.hosts.entries()) {
          const s = await agents[i].zooKeeperStatus();
          assert.equal(s.quorumTls, 'quorum_tls_only', h.name);
          assert.ok(new Date(s.tlsNotAfter).getTime() > Date.now() + 21 * 86_400_000, `${h.name}: ${s.tlsNotAfter}`);
          const metrics = await (await fetch(`http://${h.address}:9100/metrics`)).text();
          const expiry = seriesValue(metrics, 'zkfleet_certificate_expiry_timestamp_seconds', { kind: 'zookeeper' });
          assert.equal(expiry, Math.floor(new Date(s.tlsNotAfter).getTime() / 1000), `${h.name}: the expiry metric`);
          const seen = await tlsOn(h.address, ELECTION_PORT, ca);
          assert.ok(seen.verified, `${h.name}:${ELECTION_PORT} has no chain to zkfleet's CA`);
          assert.match(seen.sans, new RegExp(`IP Address:${h.address.replace(/\./g, '\\.')}`));
          assert.match(seen.sans, new RegExp(`DNS:${h.name}\\b`));
          const log = readFileSync(path.join(h.root, 'var/log/zookeeper/zookeeper.log'), 'utf8');
          const last = log.lastIndexOf('Creating TLS-only quorum server socket');
          assert.ok(last > log.lastIndexOf('Creating TLS-enabled quorum server socket'), `${h.name}: not TLS-only`);
          const dir = path.join(h.root, 'opt/zookeeper-tls');
          assert.equal(statSync(dir).mode & 0o777, 0o700);
          assert.equal(statSync(path.join(dir, 'keystore.pem')).mode & 0o777, 0o600);
          const key = readFileSync(path.join(h.stateDir, 'zookeeper-tls.key'), 'utf8');
          const keyBody = key.split('\n')[1];
          const onCoordinator = [...filesUnder(sb.pkiDir), ...filesUnder(stateDir)].filter((f) =>
            readFileSync(f, 'utf8').includes(keyBody),
          );
          assert.deepEqual(onCoordinator, [], `${h.name}'s ZooKeeper key is on the coordinator's machine`);
        }
        const status = await cli(['status', file]);
        assert.match(
          status.stdout,
          /^tls {7}quorum_tls_only, client_tls_only on every server that answers; certificates valid until \d{4}-/m,
        );
        const again = await deploy();
        assert.equal(again.code, 0, again.why);
        assert.equal(again.result.hosts.filter((h) => h.restarted).length, 0, 'a re-run restarts nothing');
        assert.equal(again.result.quorumTls, undefined);
      },
    );

    await t.test('a certificate about to expire is renewed by the next deploy, the quorum kept', async () => {
      const h = sb.hosts[1];
      const a = agents[1];
      const key = await a.zooKeeperServerKey({ installDir: '/opt', name: h.name });
      // The same names as the certificate it has, only ten days of validity.
      const sans = new X509Certificate(key.certPem).subjectAltName ?? '';
      const dns = [...sans.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]);
      const soon = await signRequest(sb.pkiDir, key.csrPem, {
        name: h.name,
        role: 'zookeeper',
        ips: [h.address],
        dns,
        days: 10,
      });
      const store = path.join(h.root, 'opt/zookeeper-tls/keystore.pem');
      const text = readFileSync(store, 'utf8');
      await fs.writeFile(store, text.slice(0, text.indexOf('-----BEGIN CERTIFICATE-----')) + soon);
      const watch = watchDown(t, agents);
      const r = await deploy();
      assert.equal(r.code, 0, r.why);
      const step = r.result.hosts.find((x) => x.name === h.name)!.steps.find((s) => s.step === 'certificate');
      assert.match(step?.description ?? '', /ZooKeeper certificate issued \(it expires .* \(within 21 days\)\)/);
      assert.deepEqual(
        r.result.hosts.filter((x) => x.restarted).map((x) => x.name),
        [h.name],
      );
      assert.ok((await watch.stop()).maxDown <= 1);
      const s = await a.zooKeeperStatus();
      assert.ok(new Date(s.tlsNotAfter).getTime() > Date.now() + 21 * 86_400_000, s.tlsNotAfter);
      assert.ok((await tlsOn(h.address, ELECTION_PORT, ca)).verified);
    });

    await t.test('a server added and removed under TLS: its key made on its host, it joins over TLS', async () => {
      const a = new AgentConnection(spare.name, spare.agent, tls);
      t.after(() => a.close());
      const watch = watchDown(t, agents);
      await use(tlsOnOff(true, 'only'), {}, true);
      const added = await deploy();
      assert.equal(added.code, 0, added.why);
      const s = await a.zooKeeperStatus();
      assert.ok(s.mode === 'follower' || s.mode === 'leader', `${spare.name} is ${s.mode}`);
      assert.equal(s.quorumTls, 'quorum_tls_only');
      assert.ok((await tlsOn(spare.address, ELECTION_PORT, ca)).verified);
      await use(tlsOnOff(true, 'only'));
      const removed = await deploy();
      assert.equal(removed.code, 0, removed.why);
      assert.equal((await a.zooKeeperStatus()).desired, 'removed');
      assert.ok((await watch.stop()).maxDown <= 1);
    });

    await t.test('turned off by the same three stages in reverse', async () => {
      await use(tlsOnOff(false));
      const r = await deploy();
      assert.equal(r.code, 0, r.why);
      assert.deepEqual(r.result.quorumTls?.stages, ['quorum_tls_unified', 'quorum_unified', 'quorum_plain']);
      for (const a of agents) assert.equal((await a.zooKeeperStatus()).quorumTls, 'quorum_plain');
      const status = await cli(['status', file]);
      assert.equal(status.code, 0, status.stderr);
    });
  },
);
