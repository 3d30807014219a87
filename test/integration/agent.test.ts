import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, promises as fs, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { certPaths, initCa, pkiPaths } from '../../shared/pki/pki';
import { zkfleetProto } from '../../shared/proto';
import { sha256 } from '../../shared/hash';
import { loadTls } from '../../shared/pki/tls';
import { fleetCertificate, tmpDir, withSandbox } from '../helpers';
import { agentLog, onHost } from '../sandbox/sandbox';
import { sh } from '../sandbox/sh';

test("agent over mTLS: the runbook's host work, refusals, DNS and exec", { timeout: 600_000 }, async (t) => {
  const sb = await withSandbox(t, { prefix: 'zka', subnet: 71 });
  const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
  const agents = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
  t.after(() => agents.forEach((a) => a.close()));
  const [a11] = agents;
  const zk = sb.hosts.filter((h) => h.roles.includes('zookeeper'));

  await t.test('refusals at the door: plain TCP, another CA, an agent certificate', async () => {
    const Agent = zkfleetProto().zkfleet.v1.Agent;
    const call = (creds: grpc.ChannelCredentials) =>
      new Promise<grpc.ServiceError | undefined>((resolve) => {
        const c = new Agent(sb.hosts[0].agent, creds);
        c.Facts({}, { deadline: Date.now() + 3000 }, (err) => {
          c.close();
          resolve(err ?? undefined);
        });
      });
    const plain = await call(grpc.credentials.createInsecure());
    assert.equal(plain?.code, grpc.status.UNAVAILABLE, 'a plain-TCP client must fail');

    const other = tmpDir(t);
    await initCa(other);
    const foreign = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(other, 'coordinator') });
    const wrongCa = await call(
      grpc.credentials.createSsl(foreign.ca, foreign.key, foreign.cert, { checkServerIdentity: () => undefined }),
    );
    assert.equal(wrongCa?.code, grpc.status.UNAVAILABLE, 'a certificate from another CA must fail the handshake');

    const agentCert = await loadTls(await fleetCertificate(t, sb, 'hdss7-12', 'agent'));
    const asAgent = await call(
      grpc.credentials.createSsl(agentCert.ca, agentCert.key, agentCert.cert, { checkServerIdentity: () => undefined }),
    );
    assert.equal(asAgent?.code, grpc.status.PERMISSION_DENIED);
    assert.match(
      asAgent!.details,
      /only a coordinator certificate may call this; the client presented agent certificate "hdss7-12"/,
    );

    // And the coordinator refuses an agent that presents another host's certificate.
    const impostor = new AgentConnection('hdss7-12', sb.hosts[0].agent, tls);
    await assert.rejects(impostor.facts({}, { timeoutMs: 3000 }), (e: { code: string }) => e.code === 'UNAVAILABLE');
    impostor.close();
  });

  await t.test('facts', async () => {
    const f = await a11.facts({ dataDir: '/data/zookeeper/data' });
    assert.equal(f.name, 'hdss7-11');
    assert.ok(f.cpus >= 1 && f.memoryTotalBytes > 0);
    assert.ok(f.interfaces.some((i) => i.addresses.includes(sb.hosts[0].address)));
    assert.ok(f.disks[0].freeBytes > 0);
    assert.deepEqual(f.capabilities.sort(), ['dns', 'exec', 'zookeeper']);
    assert.equal(f.zookeeperMode, 'not_configured');
  });

  await t.test('artifacts: a digest mismatch is refused and leaves nothing behind', async () => {
    const dir = tmpDir(t);
    const file = path.join(dir, 'blob');
    writeFileSync(file, 'some bytes');
    const wrong = sha256('other bytes');
    await assert.rejects(
      a11.upload(file, wrong, 10, 'blob', () => undefined),
      (e: { code: string }) => e.code === 'DIGEST_MISMATCH',
    );
    assert.equal((await a11.hasArtifact(wrong)).present, false);
    const store = path.join(sb.hosts[0].stateDir, 'artifacts');
    assert.deepEqual(existsSync(store) ? readdirSync(store) : [], []);
  });

  await t.test('unsafe tarballs are refused by the install RPC; the install dir stays as it was', async () => {
    const dir = tmpDir(t);
    mkdirSync(path.join(dir, 'jdk-evil', 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'jdk-evil', 'bin', 'java'), '#!/bin/sh\n');
    const tarball = path.join(dir, 'evil.tar.gz');
    execFileSync('tar', [
      '-C',
      dir,
      '-czf',
      tarball,
      '--transform',
      's,^jdk-evil/bin/java,jdk-evil/../../../escaped,',
      'jdk-evil',
    ]);
    const digest = sha256(await fs.readFile(tarball));
    await a11.upload(tarball, digest, (await fs.stat(tarball)).size, 'evil.tar.gz', () => undefined);
    await assert.rejects(
      a11.installJdk({ sha256: digest, installDir: '/usr/java', linkName: 'jdk' }),
      (e: { code: string; message: string }) => e.code === 'UNSAFE_ARCHIVE' && /contains \.\./.test(e.message),
    );
    const usrJava = path.join(sb.hosts[0].root, 'usr/java');
    assert.deepEqual(existsSync(usrJava) ? readdirSync(usrJava) : [], []);
  });

  await t.test('install the JDK and ZooKeeper, configure and start a real 3-server ensemble', async () => {
    const { jdk, zookeeper } = sb.artifacts;
    const configure = (h: (typeof zk)[number], i: number, extra: Record<string, string> = {}) => ({
      installDir: '/opt',
      dataDir: '/data/zookeeper/data',
      dataLogDir: '/data/zookeeper/logs',
      clientPort: 2181,
      clientPortAddress: h.address,
      tickTime: 2000,
      initLimit: 10,
      syncLimit: 5,
      myid: i + 1,
      extra,
      // The agent invents nothing: every field a deploy sends is sent here too.
      fourLetterWords: 'srvr,mntr,ruok',
      autopurgeSnapRetainCount: 3,
      autopurgePurgeInterval: 24,
      javaHome: '/usr/java/jdk',
      user: 'zookeeper',
      supervisor: 'agent',
      heapMb: 256,
      logMaxSizeKb: 10_240,
      logKeep: 3,
      logLevel: 'INFO',
      servers: zk.map((s, j) => ({ id: j + 1, host: s.address, quorumPort: 2888, electionPort: 3888 })),
    });
    const round = () =>
      Promise.all(
        zk.map(async (h, i) => {
          const a = agents[sb.hosts.indexOf(h)];
          const steps: Array<{ changed: boolean; description: string; version?: string }> = [];
          for (const art of [jdk, zookeeper]) {
            if (!(await a.hasArtifact(art.sha256)).present) {
              const r = await a.upload(
                art.path,
                art.sha256,
                (await fs.stat(art.path)).size,
                path.basename(art.path),
                () => undefined,
              );
              steps.push({ changed: r.changed, description: 'upload' });
            }
          }
          steps.push(await a.installJdk({ sha256: jdk.sha256, installDir: '/usr/java', linkName: 'jdk' }));
          steps.push(await a.installZooKeeper({ sha256: zookeeper.sha256, installDir: '/opt', linkName: 'zookeeper' }));
          steps.push(await a.configureZooKeeper(configure(h, i)));
          steps.push((await a.zooKeeperService('START', false)).result!);
          return steps;
        }),
      );
    const first = await round();
    for (const steps of first)
      assert.ok(
        steps.every((s) => s.changed),
        JSON.stringify(steps),
      );
    const jdkStep = first[0].find((s) => s.description.includes('JDK'))!;
    assert.match(jdkStep.version ?? '', /^17\./, 'java -version ran on the installed JDK');
    const root = sb.hosts[0].root;
    assert.equal(await fs.readlink(path.join(root, 'usr/java/jdk')), 'jdk-17');
    assert.equal(await fs.readlink(path.join(root, 'opt/zookeeper')), 'zookeeper-3.8.0');
    assert.match(
      await fs.readFile(path.join(root, 'etc/profile.d/zkfleet-java.sh'), 'utf8'),
      /export JAVA_HOME=.*\/usr\/java\/jdk\n/,
    );
    assert.equal(await fs.readFile(path.join(sb.hosts[1].root, 'data/zookeeper/data/myid'), 'utf8'), '2\n');

    // One leader and two followers, through the status RPC.
    const deadline = Date.now() + 60_000;
    let modes: string[] = [];
    while (Date.now() < deadline) {
      const st = await Promise.all(zk.map((h) => agents[sb.hosts.indexOf(h)].zooKeeperStatus()));
      modes = st.map((s) => s.mode).sort();
      if (modes.join() === 'follower,follower,leader' && st.find((s) => s.mode === 'leader')!.syncedFollowers === 2)
        break;
      await sleep(250);
    }
    assert.deepEqual(modes, ['follower', 'follower', 'leader']);
    const leaderStatus = (await Promise.all(zk.map((h) => agents[sb.hosts.indexOf(h)].zooKeeperStatus()))).find(
      (s) => s.mode === 'leader',
    )!;
    assert.equal(leaderStatus.syncedFollowers, 2);
    assert.match(leaderStatus.zxid, /^0x[0-9a-f]+$/);
    assert.ok(leaderStatus.pid > 0 && leaderStatus.listening);

    // The same calls again: unchanged everywhere, no restart.
    const pids = (await Promise.all(agents.map((a) => a.zooKeeperStatus()))).map((s) => s.pid);
    const second = await round();
    for (const steps of second)
      assert.ok(
        steps.every((s) => !s.changed),
        JSON.stringify(steps),
      );
    assert.deepEqual(
      (await Promise.all(agents.map((a) => a.zooKeeperStatus()))).map((s) => s.pid),
      pids,
    );

    // A myid change over existing data is refused.
    await assert.rejects(
      a11.configureZooKeeper({ ...configure(zk[0], 0), myid: 2 }),
      (e: { code: string; message: string }) =>
        e.code === 'MYID_CONFLICT' && /holds ZooKeeper data of server 1; refusing to make it server 2/.test(e.message),
    );
    assert.equal(await fs.readFile(path.join(root, 'data/zookeeper/data/myid'), 'utf8'), '1\n');
    // An extra key whose value carries a newline is refused; zoo.cfg stays as it was.
    const cfgBefore = await fs.readFile(path.join(root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8');
    await assert.rejects(
      a11.configureZooKeeper(configure(zk[0], 0, { maxClientCnxns: '60\nserver.9=evil:2888:3888' })),
      (e: { code: string; message: string }) => e.code === 'INVALID_ARGUMENT' && /line break/.test(e.message),
    );
    assert.equal(await fs.readFile(path.join(root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8'), cfgBefore);
  });

  await t.test(
    'DNS: upsert in a real BIND zone, dig answers, other content byte-for-byte, a rejected edit changes nothing',
    async () => {
      const dnsAddr = sb.hosts[0].address;
      const zoneFile = path.join(sb.hosts[0].root, 'var/named/zq.com.zone');
      const before = await fs.readFile(zoneFile, 'utf8');
      const dig = async (...args: string[]) =>
        (await sh('dig', [`@${dnsAddr}`, '+short', '+time=1', '+tries=2', ...args])).stdout.trim();
      const serialBefore = Number((await dig('SOA', 'zq.com')).split(' ')[2]);
      const records = zk.map((h, i) => ({ name: `zk${i + 1}`, address: h.address }));
      const r = await a11.upsertDnsRecords({ zone: 'zq.com', zoneFile: '/var/named/zq.com.zone', records });
      assert.equal(r.changed, true);
      for (const [i, h] of zk.entries()) assert.equal(await dig('A', `zk${i + 1}.zq.com`), h.address);
      const serialAfter = Number((await dig('SOA', 'zq.com')).split(' ')[2]);
      assert.ok(serialAfter > serialBefore, `${serialAfter} > ${serialBefore}`);
      const after = await fs.readFile(zoneFile, 'utf8');
      assert.equal(
        after.replace(String(serialAfter), String(serialBefore)),
        before + records.map((x) => `${x.name.padEnd(10)} A    ${x.address}\n`).join(''),
      );
      assert.equal(await fs.readFile(`${zoneFile}.bak`, 'utf8'), before);
      // Again: no change, no serial bump.
      const again = await a11.upsertDnsRecords({ zone: 'zq.com', zoneFile: '/var/named/zq.com.zone', records });
      assert.equal(again.changed, false);
      assert.equal(Number((await dig('SOA', 'zq.com')).split(' ')[2]), serialAfter);

      // A hand edit that breaks the zone: the next upsert is refused with the line, the file is untouched,
      // and named goes on serving the last good zone.
      const broken = after + 'zk9 A 300.1.1.1\n';
      await fs.writeFile(zoneFile, broken);
      await assert.rejects(
        a11.upsertDnsRecords({
          zone: 'zq.com',
          zoneFile: '/var/named/zq.com.zone',
          records: [{ name: 'zk1', address: '198.18.71.99' }],
        }),
        (e: { code: string; message: string }) =>
          e.code === 'ZONE_INVALID' && new RegExp(`zq.com.zone:${broken.split('\n').length - 1}`).test(e.message),
      );
      assert.equal(await fs.readFile(zoneFile, 'utf8'), broken);
      assert.equal(await dig('A', 'zk1.zq.com'), zk[0].address);
      assert.equal(Number((await dig('SOA', 'zq.com')).split(' ')[2]), serialAfter);
      await fs.writeFile(zoneFile, after);
    },
  );

  await t.test('exec streams output and is cancelled by the caller within a second', async () => {
    const marker = `sleep 100.${String(Date.now()).slice(-6)}`;
    const lines: string[] = [];
    const ac = new AbortController();
    let firstAt = 0;
    const started = Date.now();
    const run = a11.exec(
      { argv: [`for i in 1 2 3; do echo line$i; sleep 0.2; done; ${marker}`], shell: true, requestedBy: 'test' },
      {
        stdout: (b) => {
          lines.push(String(b));
          firstAt ||= Date.now();
          if (lines.join('').includes('line3')) setTimeout(() => ac.abort(), 300);
        },
        stderr: () => undefined,
      },
      { signal: ac.signal },
    );
    await assert.rejects(run, (e: { code: string }) => e.code === 'CANCELLED');
    const cancelledAt = Date.now();
    assert.ok(firstAt - started < 1000, 'output arrives while the command runs');
    assert.match(lines.join(''), /line1\n[\s\S]*line3\n/);
    let alive = true;
    for (let i = 0; i < 20 && alive; i++) {
      alive = (await sh('pgrep', ['-f', marker], { allowFail: true })).code === 0;
      if (alive) await sleep(50);
    }
    assert.equal(alive, false, 'the remote process is gone');
    assert.ok(Date.now() - cancelledAt < 1500);

    const exit = await a11.exec(
      { argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] },
      { stdout: () => undefined, stderr: () => undefined },
    );
    assert.equal(exit.code, 3);
    const timed = await a11.exec(
      { argv: ['sleep', '100'], timeoutMs: 300 },
      { stdout: () => undefined, stderr: () => undefined },
    );
    assert.equal(timed.timedOut, true);
    const log = await agentLog(sb.hosts[0]);
    const audit = log
      .split('\n')
      .filter((l) => l.includes('"message":"exec"'))
      .map((l) => JSON.parse(l) as { argv: string[]; exit: number; caller: string; durationMs: number });
    assert.ok(
      audit.some(
        (a) =>
          a.argv.join(' ') === 'sh -c echo out; echo err >&2; exit 3' &&
          a.exit === 3 &&
          a.caller === 'coordinator' &&
          a.durationMs >= 0,
      ),
      'every exec is in the audit log',
    );
  });

  await t.test('exec switched off in the config (applied with SIGHUP) is refused', async () => {
    const h = sb.hosts[2];
    const conf = await fs.readFile(h.agentConfig, 'utf8');
    await fs.writeFile(h.agentConfig, conf.replace(/capabilities: \[(.*), exec\]/, 'capabilities: [$1]'));
    await onHost(h, ['systemctl', 'reload', 'zkfleet-agent']);
    const a = agents[2];
    let err: { code?: string; message?: string } | undefined;
    for (let i = 0; i < 40; i++) {
      err = await a.exec({ argv: ['true'] }, { stdout: () => undefined, stderr: () => undefined }).then(
        () => undefined,
        (e) => e,
      );
      if (err) break;
      await sleep(100);
    }
    assert.equal(err?.code, 'CAPABILITY_DISABLED');
    assert.match(err!.message!, /exec is switched off on hdss7-21|capability "exec" is not enabled/);
    await fs.writeFile(h.agentConfig, conf);
    await onHost(h, ['systemctl', 'reload', 'zkfleet-agent']);
  });
});
