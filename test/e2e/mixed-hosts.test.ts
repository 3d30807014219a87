import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { DeployResult } from '../../coordinator/deploy';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { cli, withSandbox } from '../helpers';
import { jdk11Tarball, jdkTarball, zookeeper34Tarball, zookeeperTarball, type Artifact } from '../sandbox/artifacts';
import { ensembleYaml, onHost, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { ENOUGH_WRITES, startWrites } from '../writes';

/**
 * The runbook's hosts are of more than one generation: hdss7-21 boots Debian bullseye (glibc 2.31, systemd 247)
 * beside two bookworm hosts (glibc 2.36, systemd 252). It bootstraps, deploys, rolls and upgrades like the rest.
 */
test(
  'a mixed ensemble: one bullseye host bootstraps, deploys, rolls and upgrades like the rest',
  { timeout: 1_200_000 },
  async (t) => {
    const hosts = RUNBOOK_HOSTS.map((h) => (h.name === 'hdss7-21' ? { ...h, suite: 'bullseye' as const } : h));
    const sb = await withSandbox(t, { prefix: 'zkb', subnet: 84, hosts });
    const [, , h21] = sb.hosts;
    const file = sb.ensembleFile;
    const use = (zookeeper: Artifact, jdk: Artifact, tick = 2000) =>
      fs.writeFile(
        file,
        ensembleYaml(sb, '', undefined, { zookeeper, jdk }).replace('tickTime: 2000', `tickTime: ${tick}`),
      );
    const deploy = async () => {
      const r = await cli(['deploy', file, '--json'], { timeoutMs: 600_000 });
      return { ...r, result: JSON.parse(r.stdout) as DeployResult };
    };
    const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
    const agents = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
    t.after(() => agents.forEach((a) => a.close()));
    const versions = async () =>
      (await Promise.all(agents.map((a) => a.zooKeeperStatus()))).map(
        (s) => `${s.version.split('-')[0]}@${s.jdkRunning}`,
      );
    const [zk34, zk38, jdk11, jdk17] = await Promise.all([
      zookeeper34Tarball(),
      zookeeperTarball(),
      jdk11Tarball(),
      jdkTarball(),
    ]);

    await t.test('hdss7-21 is a bullseye host, its agent bootstrapped and answering', async () => {
      assert.match((await onHost(h21, ['cat', '/etc/os-release'])).stdout, /VERSION_CODENAME=bullseye/);
      assert.match((await onHost(h21, ['systemctl', '--version'])).stdout, /^systemd 247/);
      assert.match((await onHost(h21, ['ldd', '--version'])).stdout, /2\.31/);
      assert.equal((await onHost(h21, ['systemctl', 'is-active', 'zkfleet-agent'])).stdout.trim(), 'active');
      const facts = await agents[2].facts({});
      assert.equal(facts.name, 'hdss7-21');
    });

    await t.test('deploy 3.4.13 on JDK 11, then a rolling change', async () => {
      await use(zk34, jdk11);
      const first = await deploy();
      assert.equal(first.code, 0, first.stderr.slice(-3000));
      assert.deepEqual(await versions(), ['3.4.13@11.0.24', '3.4.13@11.0.24', '3.4.13@11.0.24']);
      const metrics = await (await fetch(`http://${h21.address}:9100/metrics`)).text();
      assert.match(metrics, /zookeeper_znode_count\{host="hdss7-21",myid="3"\} [1-9]\d*/, 'mntr figures of 3.4.13');
      await use(zk34, jdk11, 2200);
      const roll = await deploy();
      assert.equal(roll.code, 0, roll.stderr.slice(-3000));
      assert.equal(roll.result.hosts.filter((h) => h.restarted).length, 3);
      const cfg = await fs.readFile(path.join(h21.root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8');
      assert.match(cfg, /^tickTime=2200$/m);
    });

    await t.test('an upgrade to 3.8.0 on JDK 17 under writes; the bullseye host runs it too', async (sub) => {
      const connect = sb.hosts.map((h) => `${h.address}:2181`).join(',');
      const writes = await startWrites(sub, connect, '/mixed');
      await use(zk38, jdk17, 2200);
      const r = await deploy();
      const tally = await writes.stop();
      assert.equal(r.code, 0, r.stderr.slice(-3000));
      for (const v of await versions()) assert.match(v, /^3\.8\.0@17\./);
      assert.deepEqual(tally.lost, []);
      assert.ok(tally.acked >= ENOUGH_WRITES, `only ${tally.acked} writes acknowledged`);
    });
  },
);
