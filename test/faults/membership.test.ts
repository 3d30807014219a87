import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { DeployResult } from '../../coordinator/deploy';
import { readState } from '../../coordinator/ensemble/state';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { cli, COORDINATOR, withSandbox } from '../helpers';
import { zookeeper34Tarball } from '../sandbox/artifacts';
import { ensembleYaml, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { ENOUGH_WRITES, startWrites } from '../writes';

/** A membership change is a list of steps, each recorded when done: a coordinator killed between two goes on. */
test(
  'faults: the coordinator killed (-9) between two membership steps; a re-run finishes the change',
  {
    timeout: 900_000,
  },
  async (t) => {
    const sb = await withSandbox(t, { prefix: 'zkj', subnet: 83, hosts: RUNBOOK_HOSTS, spare: 2 });
    const zk34 = await zookeeper34Tarball();
    const file = sb.ensembleFile;
    const runbook = RUNBOOK_HOSTS.map((h) => h.name);
    const grown = [...runbook, 'hdss7-31', 'hdss7-32'];
    const use = (names: string[]) =>
      fs.writeFile(
        file,
        ensembleYaml(sb, '', (h) => names.includes(h.name), { zookeeper: zk34 }),
      );
    const deployJson = async () => {
      const r = await cli(['deploy', file, '--json'], { timeoutMs: 600_000 });
      return { ...r, result: JSON.parse(r.stdout) as DeployResult };
    };
    const stateDir = path.join(path.dirname(file), '.zkfleet/dubbo-zk');
    const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
    const agents = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
    t.after(() => agents.forEach((a) => a.close()));

    await use(runbook);
    const first = await deployJson();
    assert.equal(first.code, 0, `${first.result.error?.message ?? ''}\n${first.stderr.slice(-3000)}`);
    const connect = sb.hosts
      .filter((h) => runbook.includes(h.name))
      .map((h) => `${h.address}:2181`)
      .join(',');
    const writes = await startWrites(t, connect, '/membership-fault');

    await use(grown);
    const killedAt = await new Promise<string>((resolve) => {
      const p = spawn(process.execPath, [COORDINATOR, 'deploy', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let seen = '';
      p.stderr!.on('data', (c) => {
        seen += c;
        if (/membership step 2 of 2/.test(seen)) p.kill('SIGKILL');
      });
      p.on('exit', (_code, signal) => resolve(String(signal)));
    });
    assert.equal(killedAt, 'SIGKILL', 'the coordinator reached the second step and was killed there');
    assert.deepEqual(
      (await readState(stateDir)).members?.map((m) => `${m.name}=${m.myid}`),
      ['hdss7-11=1', 'hdss7-12=2', 'hdss7-21=3', 'hdss7-31=4'],
      'the first step is recorded as done',
    );

    const r = await deployJson();
    assert.equal(r.code, 0, `${r.result.error?.message ?? ''}\n${r.stderr.slice(-3000)}`);
    assert.equal(r.result.plan?.length, 2, r.result.plan?.join('\n'));
    assert.match(r.result.plan![1], /^ {2}1\. add hdss7-32 \(myid 5\): 5 voters, quorum 3/);
    const modes = (await Promise.all(agents.map((a) => a.zooKeeperStatus()))).map((s) => s.mode);
    assert.deepEqual([...modes].sort(), ['follower', 'follower', 'follower', 'follower', 'leader']);
    assert.deepEqual(
      r.result.hosts.filter((h) => h.myid).map((h) => `${h.name}=${h.myid}`),
      ['hdss7-11=1', 'hdss7-12=2', 'hdss7-21=3', 'hdss7-31=4', 'hdss7-32=5'],
    );
    const tally = await writes.stop();
    assert.ok(tally.acked >= ENOUGH_WRITES, `only ${tally.acked} writes acknowledged`);
    assert.deepEqual(tally.lost, []);
    t.diagnostic(`membership steps interrupted: 1; writes acknowledged ${tally.acked}, found ${tally.acked}`);
  },
);
