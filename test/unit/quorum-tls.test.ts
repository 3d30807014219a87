import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tlsJarsProblem } from '../../coordinator/artifacts/provider';
import { tlsVersionProblem } from '../../coordinator/artifacts/versions';
import { serverCertProblem } from '../../coordinator/security/server-cert';
import { initCa, issueCertificate, pkiPaths } from '../../shared/pki/pki';
import {
  CLIENT_TLS_MODES,
  clientJvmFlags,
  clientTlsMode,
  clientTlsPairs,
  QUORUM_STAGES,
  quorumStagePath,
  quorumTlsPairs,
} from '../../shared/zookeeper/tls';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

test("quorum TLS stages: the Administrator's Guide's three rolls on, the same three in reverse off", () => {
  assert.deepEqual(QUORUM_STAGES, ['quorum_plain', 'quorum_unified', 'quorum_tls_unified', 'quorum_tls_only']);
  assert.deepEqual(quorumStagePath('quorum_plain', 'quorum_tls_only'), [
    'quorum_unified',
    'quorum_tls_unified',
    'quorum_tls_only',
  ]);
  assert.deepEqual(quorumStagePath('quorum_tls_only', 'quorum_plain'), [
    'quorum_tls_unified',
    'quorum_unified',
    'quorum_plain',
  ]);
  // A deploy killed after the first stage was recorded goes on from there.
  assert.deepEqual(quorumStagePath('quorum_unified', 'quorum_tls_only'), ['quorum_tls_unified', 'quorum_tls_only']);
  assert.deepEqual(quorumStagePath('quorum_tls_only', 'quorum_tls_only'), []);
});

test('quorum TLS in zoo.cfg: each stage its sslQuorum and portUnification, PEM stores, Netty', () => {
  const keys = (stage: (typeof QUORUM_STAGES)[number]) => new Map(quorumTlsPairs(stage, '/opt/zookeeper-tls'));
  assert.equal(quorumTlsPairs('quorum_plain', '/x').length, 0);
  assert.equal(keys('quorum_unified').get('sslQuorum'), 'false');
  assert.equal(keys('quorum_unified').get('portUnification'), 'true');
  assert.equal(keys('quorum_tls_unified').get('sslQuorum'), 'true');
  assert.equal(keys('quorum_tls_unified').get('portUnification'), 'true');
  assert.equal(keys('quorum_tls_only').get('sslQuorum'), 'true');
  assert.equal(keys('quorum_tls_only').get('portUnification'), 'false');
  assert.equal(keys('quorum_tls_only').get('ssl.quorum.keyStore.location'), '/opt/zookeeper-tls/keystore.pem');
  assert.equal(keys('quorum_tls_only').get('ssl.quorum.trustStore.type'), 'PEM');
  assert.equal(keys('quorum_tls_only').get('serverCnxnFactory'), 'org.apache.zookeeper.server.NettyServerCnxnFactory');
});

test('quorum TLS refused by version (3.5.5 needed) and by a tree without the Netty jars, naming them', () => {
  assert.match(tlsVersionProblem('3.4.13') ?? '', /ZooKeeper 3\.4\.13 .*needs 3\.5\.5 or later/);
  assert.match(tlsVersionProblem('3.5.4-beta') ?? '', /needs 3\.5\.5/);
  assert.equal(tlsVersionProblem('3.5.5'), undefined);
  assert.equal(tlsVersionProblem('3.8.0'), undefined);
  const upstream = ['netty-codec-4.1.73.Final.jar', 'netty-resolver-4.1.73.Final.jar'];
  upstream.push('netty-transport-native-unix-common-4.1.73.Final.jar');
  assert.equal(tlsJarsProblem(upstream), undefined);
  assert.equal(
    tlsJarsProblem(['netty-codec.jar', 'netty-resolver.jar', 'netty-transport-native-unix-common.jar']),
    undefined,
  );
  const debian = ['netty-handler.jar', 'netty-codec-http-4.1.48.Final.jar', 'netty-transport.jar'];
  assert.match(
    tlsJarsProblem(debian) ?? '',
    /lacks lib\/netty-codec-<version>\.jar, lib\/netty-resolver-<version>\.jar, lib\/netty-transport-native-unix-common-<version>\.jar/,
  );
});

test("a server's certificate is made again: none, another CA, a name missing, within three weeks of expiry", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zkf-cert-'));
  await initCa(dir);
  const caPem = readFileSync(pkiPaths(dir).caCert, 'utf8');
  const want = { caPem, ips: ['10.4.7.11'], dns: ['hdss7-11', 'zk1.od.com'], now: new Date() };
  const issue = async (o: { dns?: string[]; days?: number; ca?: string }) => {
    const out = await issueCertificate(o.ca ?? dir, {
      name: 'hdss7-11',
      role: 'zookeeper',
      ips: ['10.4.7.11'],
      dns: o.dns ?? ['hdss7-11', 'zk1.od.com'],
      days: o.days,
    });
    return readFileSync(out.cert, 'utf8');
  };
  assert.equal(serverCertProblem(await issue({}), want), undefined);
  assert.equal(serverCertProblem('', want), 'no certificate yet');
  assert.match(serverCertProblem(await issue({ days: 20 }), want) ?? '', /expires .* \(within 21 days\)/);
  assert.match(serverCertProblem(await issue({ dns: ['hdss7-11'] }), want) ?? '', /its names lack zk1\.od\.com/);
  const other = mkdtempSync(path.join(os.tmpdir(), 'zkf-cert-'));
  await initCa(other);
  assert.match(serverCertProblem(await issue({ ca: other }), want) ?? '', /not issued by this zkfleet's CA/);
});

test('client TLS in zoo.cfg: the secure port with the same stores; nothing when off; the JVM flags a service needs', () => {
  assert.deepEqual(clientTlsPairs('client_tls_off', 2281, '/opt/zookeeper-tls'), []);
  const both = new Map(clientTlsPairs(clientTlsMode('both'), 2281, '/opt/zookeeper-tls'));
  assert.equal(both.get('secureClientPort'), '2281');
  assert.equal(both.get('ssl.keyStore.location'), '/opt/zookeeper-tls/keystore.pem');
  assert.equal(both.get('ssl.trustStore.type'), 'PEM');
  assert.deepEqual(CLIENT_TLS_MODES, ['client_tls_off', 'client_tls_both', 'client_tls_only']);
  const flags = clientJvmFlags('/etc/dubbo/zk.pem', '/etc/dubbo/ca.crt');
  assert.ok(flags.includes('-Dzookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty'));
  assert.ok(flags.includes('-Dzookeeper.ssl.keyStore.location=/etc/dubbo/zk.pem'));
});
