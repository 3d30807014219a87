import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { DeployResult } from '../../coordinator/deploy';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { cli, withSandbox } from '../helpers';
import { ensembleYaml, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { assertWritesKept, startWrites, watchDown, withZk } from '../writes';

const NOAUTH = -102;

/**
 * Client authentication on 3.8.0, the way a platform moves: digest users and the registry's ACL first (anonymous
 * clients still read), then enforcement by one roll while an application's client writes as its user; afterwards
 * an anonymous client is refused, the named user writes under /dubbo and another user cannot.
 */
test(
  'client authentication: users and the /dubbo ACL, then enforcement by a roll under writes',
  { timeout: 900_000 },
  async (t) => {
    const sb = await withSandbox(t, { prefix: 'zka', subnet: 87, hosts: RUNBOOK_HOSTS });
    const file = sb.ensembleFile;
    const stateDir = path.join(path.dirname(file), '.zkfleet/dubbo-zk');
    const use = (auth: string) => fs.writeFile(file, ensembleYaml(sb).replace('  extra: {}\n', `  extra: {}\n${auth}`));
    const deploy = async () => {
      const r = await cli(['deploy', file, '--json'], { timeoutMs: 600_000 });
      const result = JSON.parse(r.stdout) as DeployResult;
      return { ...r, result, why: `${r.stderr.slice(-1500)}\n${JSON.stringify(result.error)}` };
    };
    const connect = sb.hosts.map((h) => `${h.address}:2181`).join(',');
    const password = async (user: string) =>
      (await fs.readFile(path.join(stateDir, 'zookeeper-users', `${user}.secret`), 'utf8')).trim();
    const create = (auth: string | undefined, p: string) =>
      withZk(connect, (c) => c.create(p, 'x', 0), auth).then(
        () => 0,
        (err: Error) => Number(/^(-?\d+) /.exec(err.message)?.[1] ?? NaN),
      );
    const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
    const agents = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
    t.after(() => agents.forEach((a) => a.close()));

    await t.test(
      'users and the ACL, anonymous clients still allowed: they read /dubbo, only dubbo writes',
      async () => {
        await use('');
        assert.equal((await deploy()).code, 0);
        await use('  auth: { users: [dubbo, ops], writers: [dubbo], enforce: false }\n');
        const r = await deploy();
        assert.equal(r.code, 0, r.why);
        assert.equal(r.result.acl?.entries, 'dubbo: all, ops: read, anyone: read');
        assert.equal(r.result.acl?.changed, true);
        for (const user of ['dubbo', 'ops']) {
          const st = await fs.stat(path.join(stateDir, 'zookeeper-users', `${user}.secret`));
          assert.equal(st.mode & 0o777, 0o600, `${user}'s password file`);
          assert.ok(!(r.stdout + r.stderr).includes(await password(user)), `${user}'s password was printed`);
        }
        assert.equal(await create(undefined, '/dubbo/anonymous'), NOAUTH, 'an anonymous client created under /dubbo');
        assert.equal(await create(`ops:${await password('ops')}`, '/dubbo/ops'), NOAUTH, 'ops created under /dubbo');
        assert.equal(await create(`dubbo:${await password('dubbo')}`, '/dubbo/providers'), 0);
        assert.ok(await withZk(connect, (c) => c.pathExists('/dubbo/providers', false)), 'anonymous read');
        const again = await deploy();
        assert.equal(again.code, 0, again.why);
        assert.equal(again.result.acl?.changed, false, 'a re-run leaves the ACL as it is');
      },
    );

    await t.test('enforcement turned on by one roll while dubbo writes: anonymous refused, nothing lost', async () => {
      const dubbo = `dubbo:${await password('dubbo')}`;
      const writes = await startWrites(t, connect, '/dubbo/writes', dubbo);
      const watch = watchDown(t, agents);
      await use('  auth: { users: [dubbo, ops], writers: [dubbo] }\n');
      const r = await deploy();
      assert.equal(r.code, 0, r.why);
      assert.equal(r.result.hosts.filter((h) => h.restarted).length, 3, 'one roll');
      assert.equal(r.result.acl?.entries, 'dubbo: all, ops: read');
      await assertWritesKept(writes, watch, sb.hosts, '/dubbo/writes', dubbo);
      // ZooKeeper closes an unauthenticated session at its first request (SESSIONCLOSEDREQUIRESASLAUTH, -124).
      for (const h of sb.hosts) {
        const anonymous = withZk(`${h.address}:2181`, (c) => c.get('/dubbo', false));
        await assert.rejects(anonymous, /Error: -124 /, `an anonymous client was served by ${h.name}`);
      }
      assert.equal(await create(dubbo, '/dubbo/consumers'), 0, 'dubbo writes under /dubbo');
      assert.equal(await create(`ops:${await password('ops')}`, '/dubbo/ops'), NOAUTH, 'ops wrote under /dubbo');
      const status = await cli(['status', file]);
      assert.match(
        status.stdout,
        /^auth {6}anonymous clients refused \(enforce\.auth\.enabled\); users dubbo, ops; \/dubbo written by dubbo/m,
      );
    });
  },
);
