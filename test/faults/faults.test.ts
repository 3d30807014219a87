import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import type { DeployResult } from '../../coordinator/deploy';
import type { StatusResult } from '../../coordinator/cli/status';
import { sha256File } from '../../shared/hash';
import { certPaths, initCa, issueCertificate, pkiPaths } from '../../shared/pki/pki';
import { diagnoseTls, loadTls } from '../../shared/pki/tls';
import { cli, COORDINATOR, tmpDir, withSandbox } from '../helpers';
import {
  agentLog,
  agentUnit,
  ensembleYaml,
  killAgent,
  killOnHost,
  onHost,
  restartAgent,
  RUNBOOK_HOSTS,
  waitFor,
  type SandboxState,
} from '../sandbox/sandbox';
import { jdk11Tarball, jdkTarball } from '../sandbox/artifacts';
import { sh } from '../sandbox/sh';
import { tcpOpen } from '../../shared/tcp';
import { ENOUGH_WRITES, startWrites } from '../writes';

/** What the suite counted, printed at the end (README: Reliability). */
const tally = { killPoints: [] as string[], writesAcked: 0, writesFound: 0, rollsInterrupted: 0 };

test(
  'faults: killed agents and coordinator, dropped hosts, a killed leader, a full disk, a broken zone, odd serials, bad certificates',
  { timeout: 1_800_000 },
  async (t) => {
    // hdss7-21 keeps its data on a small filesystem of its own, to be filled later.
    const tmpfs = { 'hdss7-21': { path: 'data', sizeMB: 400 } };
    const sb = await withSandbox(t, { prefix: 'zkx', subnet: 76, hosts: RUNBOOK_HOSTS, reportIntervalMs: 2000, tmpfs });
    const [h11, h12, h21] = sb.hosts;
    const file = sb.ensembleFile;
    // The suite starts on JDK 11, so that an upgrade to 17 can be interrupted later.
    const [jdk11, jdk17] = await Promise.all([jdk11Tarball(), jdkTarball()]);
    const writeFile = (tick: number, jdk = jdk11) =>
      fs.writeFile(
        file,
        ensembleYaml(sb, 'timeouts: { connectMs: 3000, quorumMs: 20000 }\n', undefined, { jdk }).replace(
          'tickTime: 2000',
          `tickTime: ${tick}`,
        ),
      );
    await writeFile(2000);
    const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
    const agent = (h: SandboxState['hosts'][number]) => new AgentConnection(h.name, h.agent, tls);
    const deploy = async (...args: string[]) => {
      const r = await cli(['deploy', file, '--json', ...args], { timeoutMs: 300_000 });
      return { ...r, result: JSON.parse(r.stdout) as DeployResult };
    };
    // An agent that killed itself at a kill point is started again by systemd (Restart=on-failure): the
    // unit's count of automatic restarts says the point was reached.
    const killedItself = async (h: SandboxState['hosts'][number], restartsBefore: number) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const restarted = Number(await agentUnit(h, 'NRestarts')) > restartsBefore;
        if (restarted && (await agentUnit(h, 'ActiveState')) === 'active') return true;
        await sleep(200);
      }
      return false;
    };
    const statuses = async () =>
      Promise.all(
        sb.hosts.map(async (h) => {
          const a = agent(h);
          try {
            return await a.zooKeeperStatus();
          } finally {
            a.close();
          }
        }),
      );
    const converged = async () => {
      const r = await deploy();
      assert.equal(r.code, 0, `${r.result.error?.message ?? ''}\n${r.stderr.slice(-3000)}`);
      assert.deepEqual(r.result.hosts.map((h) => h.mode).sort(), ['follower', 'follower', 'leader']);
      assert.deepEqual(
        r.result.hosts.map((h) => h.myid),
        [1, 2, 3],
      );
      return r;
    };
    // Nothing half-done on a host: complete trees only, complete files only, artifacts only under true digests.
    const invariants = async (h: SandboxState['hosts'][number], afterRerun: boolean) => {
      const store = path.join(h.stateDir, 'artifacts');
      for (const n of existsSync(store) ? readdirSync(store) : []) {
        if (/^[0-9a-f]{64}$/.test(n)) {
          const digest = await sha256File(path.join(store, n));
          assert.equal(digest, n, `${h.name}: the artifact cache holds a partial file under a digest name`);
        }
      }
      for (const dir of ['usr/java', 'opt']) {
        const d = path.join(h.root, dir);
        for (const n of existsSync(d) ? readdirSync(d) : []) {
          if (afterRerun) assert.ok(!n.startsWith('.zkf-'), `${h.name}: ${dir}/${n} left behind`);
          // The agent's own install (bootstrap's) is not an artifact tree of a deploy.
          if (n.startsWith('.') || n === 'zkfleet-agent') continue;
          const p = path.join(d, n);
          const st = await fs.lstat(p);
          if (st.isSymbolicLink()) continue;
          // A tree under its final name is complete: it carries the marker written last.
          assert.ok(
            existsSync(path.join(p, '.zkfleet-artifact.json')),
            `${h.name}: ${dir}/${n} is a half-unpacked tree`,
          );
        }
      }
      const cfg = path.join(h.root, 'opt/zookeeper/conf/zoo.cfg');
      if (existsSync(cfg))
        assert.match(
          await fs.readFile(cfg, 'utf8'),
          /^# Managed by zkfleet[\s\S]*\nserver\.3=zk3\.zq\.com:2888:3888\n$/,
          `${h.name}: zoo.cfg is truncated`,
        );
      const myid = path.join(h.root, 'data/zookeeper/data/myid');
      if (existsSync(myid)) assert.match(await fs.readFile(myid, 'utf8'), /^[123]\n$/, `${h.name}: myid is truncated`);
    };

    await t.test('an agent killed (-9) in the middle of each host step; restarted, the deploy converges', async () => {
      const points = [
        'upload.mid',
        'install-jdk.extracted',
        'install-jdk.renamed',
        'install-zookeeper.extracted',
        'atomic.before-rename',
        'configure.cfg-written',
        'start.after-script',
      ];
      // The JDK and ZooKeeper install side by side, so ZooKeeper may be complete before its own kill point's
      // turn: it is taken off the host (where it never ran) so that its install runs again.
      const forgetZooKeeper = async () => {
        const opt = path.join(h12.root, 'opt');
        for (const n of readdirSync(opt).filter((x) => x.startsWith('zookeeper')))
          await fs.rm(path.join(opt, n), { recursive: true, force: true });
        await fs.rm(path.join(h12.stateDir, 'artifacts', sb.artifacts.zookeeper.sha256), { force: true });
      };
      for (const point of points) {
        if (point.startsWith('install-zookeeper')) await forgetZooKeeper();
        await restartAgent(h12, { ZKF_FAULT_KILL: point });
        const restarts = Number(await agentUnit(h12, 'NRestarts'));
        const r = await deploy();
        assert.ok(await killedItself(h12, restarts), `the kill point ${point} was reached`);
        assert.notEqual(r.code, 0);
        assert.ok(
          r.result.hosts.find((h) => h.name === 'hdss7-12')!.error,
          `hdss7-12 is reported failed after ${point}`,
        );
        await invariants(h12, false);
        tally.killPoints.push(point);
      }
      await restartAgent(h12);
      await converged();
      for (const h of sb.hosts) await invariants(h, true);
    });

    await t.test(
      'the zone edit killed before the rename: the old zone stays and is served; a re-run fixes it',
      async () => {
        const zoneFile = path.join(h11.root, 'var/named/zq.com.zone');
        const good = await fs.readFile(zoneFile, 'utf8');
        const handEdited = good.replace(/^zk3(\s+A\s+)\S+$/m, `zk3$1198.18.76.99`);
        await fs.writeFile(zoneFile, handEdited);
        await restartAgent(h11, { ZKF_FAULT_KILL: 'dns.before-rename' });
        const restarts = Number(await agentUnit(h11, 'NRestarts'));
        const r = await deploy();
        assert.equal(r.code, 1);
        assert.match(r.result.error!.message, /DNS update on hdss7-11 failed, so no server was touched/);
        assert.ok(await killedItself(h11, restarts));
        assert.equal(await fs.readFile(zoneFile, 'utf8'), handEdited, 'the zone file is the old version, whole');
        tally.killPoints.push('dns.before-rename');
        await restartAgent(h11);
        await converged();
        assert.equal((await sh('dig', [`@${h11.address}`, '+short', 'zk3.zq.com'])).stdout.trim(), h21.address);
        assert.deepEqual(
          readdirSync(path.dirname(zoneFile)).filter((n) => n.includes('.zkf-tmp-')),
          [],
        );
      },
    );

    await t.test('the coordinator killed mid-deploy: a re-run converges and keeps the myids', async () => {
      const stateFile = path.join(path.dirname(file), '.zkfleet/dubbo-zk/state.json');
      const before = JSON.parse(await fs.readFile(stateFile, 'utf8')).myids;
      await writeFile(2200);
      await new Promise<void>((resolve) => {
        const p = spawn(process.execPath, [COORDINATOR, 'deploy', file], { stdio: ['ignore', 'ignore', 'pipe'] });
        p.stderr!.on('data', (c) => {
          if (/restart changed/.test(String(c))) p.kill('SIGKILL');
        });
        p.on('exit', () => resolve());
      });
      tally.rollsInterrupted++;
      assert.deepEqual(JSON.parse(await fs.readFile(stateFile, 'utf8')).myids, before);
      const r = await converged();
      assert.ok(r.result.hosts.filter((h) => h.restarted).length >= 1, 'the re-run finished the roll');
      for (const h of sb.hosts)
        assert.match(await fs.readFile(path.join(h.root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8'), /^tickTime=2200$/m);
    });

    /**
     * A deploy (or rollback) whose roll loses its leader (-9) once the first server is back, while a client
     * writes: it must finish with exit 0, one leader and two followers, and no acknowledged write lost.
     */
    const rollWithLeaderKilled = async (sub: TestContext, args: string[], znode: string) => {
      const writes = await startWrites(sub, sb.hosts.map((h) => `${h.address}:2181`).join(','), znode);
      let killed = '';
      const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [COORDINATOR, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr!.on('data', (c) => {
          err += c;
          if (!killed && /(restart|rollback) changed/.test(err)) {
            killed = 'pending';
            statuses().then(
              (st) => {
                const li = st.findIndex((s) => s.mode === 'leader');
                killed = sb.hosts[li].name;
                void killOnHost(sb.hosts[li], st[li].pid);
              },
              () => undefined,
            );
          }
        });
        p.on('exit', (code) => resolve({ code: code ?? -1, stderr: err }));
      });
      const w = await writes.stop();
      assert.ok(killed && killed !== 'pending', 'the leader was killed mid-roll');
      assert.equal(r.code, 0, r.stderr.slice(-3000));
      const st = await statuses();
      assert.deepEqual(st.map((s) => s.mode).sort(), ['follower', 'follower', 'leader']);
      assert.deepEqual(w.lost, []);
      assert.ok(w.acked >= ENOUGH_WRITES, `only ${w.acked} writes acknowledged`);
      tally.writesAcked += w.acked;
      tally.writesFound += w.acked - w.lost.length;
      tally.rollsInterrupted++;
      return st;
    };

    await t.test(
      'the leader killed during a rolling change: the roll waits for the new leader and goes on; no acked write is lost',
      async (sub) => {
        await writeFile(2000);
        await rollWithLeaderKilled(sub, ['deploy', file], '/faults');
        for (const h of sb.hosts)
          assert.match(await fs.readFile(path.join(h.root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8'), /^tickTime=2000$/m);
      },
    );

    await t.test(
      'a host cut off during a rolling change: reported within the deadline, the roll stops, no second server down; a re-run finishes',
      async () => {
        await writeFile(2400);
        const st = await statuses();
        const leader = sb.hosts[st.findIndex((s) => s.mode === 'leader')];
        const followers = sb.hosts.filter((h) => h !== leader);
        const pidsBefore = new Map(sb.hosts.map((h, i) => [h.name, st[i].pid]));
        let cut: SandboxState['hosts'][number] | undefined;
        let cutting: Promise<Error | undefined> = Promise.resolve(undefined);
        const started = Date.now();
        const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
          // The coordinator stops itself after the first restart of the roll (a pause point): the next
          // follower is cut off before the roll can reach it, never while its restart is on the wire.
          const env = { ...process.env, ZKF_FAULT_PAUSE: 'roll.restarted' };
          const p = spawn(process.execPath, [COORDINATOR, 'deploy', file], {
            env,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          p.stderr!.on('data', (c) => {
            err += c;
            const m = /(hdss7-\d+)\s+restart changed/.exec(err);
            if (m && !cut) {
              cut = followers.find((h) => h.name !== m[1])!;
              cutting = cutOffWhenPaused(p.pid!, cut).then(
                () => undefined,
                (e: Error) => e,
              );
            }
          });
          p.on('exit', (code) => resolve({ code: code ?? -1, stderr: err }));
        });
        const took = Date.now() - started;
        assert.ok(cut, 'a follower was cut off mid-roll');
        assert.ifError(await cutting);
        try {
          assert.equal(r.code, 1, r.stderr.slice(-2000));
          assert.match(r.stderr, new RegExp(`rolling restart stopped before ${cut!.name}|${cut!.name}.*unreachable`));
          assert.ok(took < 60_000, `the deploy returned after ${took} ms`);
          // The cut host and the leader were never taken down.
          const pidFile = (h: SandboxState['hosts'][number]) =>
            path.join(h.root, 'data/zookeeper/data/zookeeper_server.pid');
          assert.equal(Number(await fs.readFile(pidFile(cut!), 'utf8')), pidsBefore.get(cut!.name));
          assert.equal(
            (await onHost(cut!, ['kill', '-0', String(pidsBefore.get(cut!.name))], { allowFail: true })).code,
            0,
          );
          assert.equal(Number(await fs.readFile(pidFile(leader), 'utf8')), pidsBefore.get(leader.name));
        } finally {
          await sh('ip', ['-n', cut!.ns, 'link', 'set', 'eth0', 'up']);
        }
        tally.rollsInterrupted++;
        await waitFor(() => tcpOpen(cut!.address, 7443), 15_000, 'the cut host back');
        const again = await converged();
        assert.ok(again.result.hosts.find((h) => h.name === leader.name)!.restarted, 'the re-run finished the roll');
      },
    );

    const pidOf = async (h: SandboxState['hosts'][number]) =>
      Number(
        (
          await fs.readFile(path.join(h.root, 'data/zookeeper/data/zookeeper_server.pid'), 'utf8').catch(() => '0')
        ).trim(),
      );
    await t.test(
      'a JVM killed during a roll while supervised: started again once, the roll goes on; every server restarted',
      async () => {
        await writeFile(2600);
        const seen = new Map(sb.hosts.map((h) => [h.name, new Set<number>()]));
        let stop = false;
        const sampler = (async () => {
          while (!stop) {
            for (const h of sb.hosts) {
              const p = await pidOf(h);
              if (p) seen.get(h.name)!.add(p);
            }
            await sleep(100);
          }
        })();
        let victim = '';
        const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
          const p = spawn(process.execPath, [COORDINATOR, 'deploy', file], { stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          p.stderr!.on('data', (c) => {
            err += c;
            // The first server back from its restart is killed again at once.
            const back = sb.hosts.find((h) => new RegExp(`${h.name}\\s+restart changed`).test(err));
            if (!victim && back) {
              victim = back.name;
              void pidOf(back).then((pid) => killOnHost(back, pid));
            }
          });
          p.on('exit', (code) => resolve({ code: code ?? -1, stderr: err }));
        });
        await sleep(3000);
        stop = true;
        await sampler;
        assert.ok(victim);
        assert.equal(r.code, 0, r.stderr.slice(-3000));
        const st = await statuses();
        assert.deepEqual(st.map((x) => x.mode).sort(), ['follower', 'follower', 'leader']);
        for (const h of sb.hosts) {
          assert.match(await fs.readFile(path.join(h.root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8'), /^tickTime=2600$/m);
          // Before, after its restart, and (the victim) after the kill: started again once, not twice.
          assert.equal(
            seen.get(h.name)!.size,
            h.name === victim ? 3 : 2,
            `${h.name}: ${[...seen.get(h.name)!].join(' ')}`,
          );
        }
        tally.rollsInterrupted++;
      },
    );

    await t.test(
      'the coordinator killed during an upgrade (JDK 11 → 17): a re-run at once takes over its lease and finishes',
      async () => {
        await writeFile(2600, jdk17);
        const r1 = await new Promise<string>((resolve) => {
          const p = spawn(process.execPath, [COORDINATOR, 'deploy', file], { stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          p.stderr!.on('data', (c) => {
            err += c;
            if (/restart changed/.test(err)) p.kill('SIGKILL');
          });
          p.on('exit', () => resolve(err));
        });
        assert.match(r1, /JDK 11\.\S+ → 17\./);
        tally.rollsInterrupted++;
        const mixed = await statuses();
        assert.ok(mixed.some((s) => /^11\./.test(s.jdkRunning)) && mixed.some((s) => /^17\./.test(s.jdkRunning)));
        const r = await converged();
        assert.match(r.stderr, /taking over the lease of pid \d+, a coordinator that is gone/);
        for (const s of await statuses()) {
          assert.match(s.jdkRunning, /^17\./);
          assert.deepEqual(s.restartPending, []);
        }
      },
    );

    await t.test(
      'the leader killed during an upgrade: the roll goes on, every server ends on the new JDK, no acked write lost',
      async (sub) => {
        const back = await cli(['rollback', file]);
        assert.equal(back.code, 0, back.stderr);
        for (const s of await statuses()) assert.match(s.jdkRunning, /^11\./);
        const st = await rollWithLeaderKilled(sub, ['deploy', file], '/upgrade');
        for (const s of st) assert.match(s.jdkRunning, /^17\./);
      },
    );

    await t.test(
      'the agent and its JVM killed together: the agent comes back by systemd, the server by the agent',
      async () => {
        const pid = await pidOf(h21);
        await killAgent(h21);
        await killOnHost(h21, pid);
        await waitFor(
          async () => {
            const st = await statuses().catch(() => undefined);
            return (
              !!st &&
              st
                .map((x) => x.mode)
                .sort()
                .join() === 'follower,follower,leader' &&
              (await pidOf(h21)) !== pid
            );
          },
          30_000,
          'the ensemble whole without any coordinator command',
        );
      },
    );

    await t.test(
      'disk full under dataDir: status says so while ZooKeeper still serves; a deploy refuses to write there',
      async () => {
        const filler = path.join(h21.root, 'data/filler');
        const df = async () =>
          Number((await sh('df', ['--output=avail', '-B1', path.join(h21.root, 'data')])).stdout.trim().split('\n')[1]);
        const room = (await df()) - 120e6;
        await sh('fallocate', ['-l', String(room), filler]).catch(() =>
          sh('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M', `count=${Math.floor(room / 1e6)}`]),
        );
        try {
          const s = await cli(['status', file, '--json', '--live']);
          const status = JSON.parse(s.stdout) as StatusResult;
          const host = status.hosts.find((h) => h.name === 'hdss7-21')!;
          assert.match(host.diskWarning ?? '', /disk almost full under \/data\/zookeeper\/(data|logs): \d+ MB free/);
          assert.ok(['leader', 'follower'].includes(host.mode), 'ZooKeeper still serves');
          assert.equal(s.code, 2);
          const before = await statuses();
          const r = await deploy();
          assert.equal(r.code, 1);
          assert.equal(r.result.error?.code, 'DISK_FULL');
          assert.match(
            r.result.error!.message,
            /hdss7-21 \(facts: disk full under \/data\/zookeeper\/(data|logs) .*\d+ MB free, a deploy needs 256 MB/,
          );
          assert.deepEqual(
            (await statuses()).map((x) => x.pid),
            before.map((x) => x.pid),
            'nothing was touched',
          );
        } finally {
          await fs.rm(filler, { force: true });
        }
        await converged();
      },
    );

    await t.test(
      "another process on a server's client port: its start is refused before any JVM starts; freed, it starts",
      async () => {
        const others = [h11, h21];
        const pidsBefore = await Promise.all(others.map((h) => pidOf(h)));
        const stop = await cli(['stop', file, '--host', h12.name, '--json']);
        assert.equal(stop.code, 0, stop.stderr);
        // A squatter that answers whatever it is sent: its answer could pass for the new server's.
        const squatter = ['systemd-run', '--unit=zkf-squatter', 'systemd-socket-activate', '-l', '2181', '--inetd'];
        await onHost(h12, [...squatter, '-a', 'cat']);
        try {
          await waitFor(() => tcpOpen(h12.address, 2181), 10_000, 'the squatter listening');
          const start = await cli(['start', file, '--host', h12.name, '--json']);
          assert.equal(start.code, 1, start.stdout);
          const error = (JSON.parse(start.stdout) as { results?: Array<{ error?: string }> }).results?.[0]?.error;
          assert.match(error ?? '', /:2181, this server's client port, is taken by another process/, start.stdout);
          assert.equal(await pidOf(h12), 0, 'no JVM was started');
        } finally {
          await onHost(h12, ['systemctl', 'stop', 'zkf-squatter']);
        }
        assert.deepEqual(await Promise.all(others.map((h) => pidOf(h))), pidsBefore, 'the other servers untouched');
        const again = await cli(['start', file, '--host', h12.name, '--json']);
        assert.equal(again.code, 0, again.stdout);
        await converged();
      },
    );

    await t.test(
      'a zone hand-edited into an invalid state: the upsert refuses, names the line, named keeps the last good zone',
      async () => {
        const zoneFile = path.join(h11.root, 'var/named/zq.com.zone');
        const good = await fs.readFile(zoneFile, 'utf8');
        const broken = good.replace(/^zk1(\s+A\s+)\S+$/m, 'zk1$1198.18.76.98') + 'bad-record   A   not-an-address\n';
        await fs.writeFile(zoneFile, broken);
        try {
          const r = await deploy();
          assert.equal(r.code, 1);
          assert.match(r.result.error!.message, new RegExp(`zq\\.com\\.zone:${broken.split('\n').length - 1}`));
          assert.equal(await fs.readFile(zoneFile, 'utf8'), broken, 'the file is left as the operator left it');
          assert.equal(
            (await sh('dig', [`@${h11.address}`, '+short', 'zk1.zq.com'])).stdout.trim(),
            h11.address,
            'named serves the last good zone',
          );
        } finally {
          await fs.writeFile(zoneFile, good);
        }
        await converged();
      },
    );

    await t.test(
      'serials far ahead of today and at the top of the space still grow (RFC 1982); named takes them',
      async () => {
        const zoneFile = path.join(h11.root, 'var/named/zq.com.zone');
        const a = agent(h11);
        try {
          for (const [serial, expected] of [
            [2099123199, 2099123200],
            [4294967295, Number(new Date().toISOString().slice(0, 10).replace(/-/g, '')) * 100 + 1],
          ] as const) {
            const text = await fs.readFile(zoneFile, 'utf8');
            await fs.writeFile(zoneFile, text.replace(/^(\s+)\d+(\s*; serial)$/m, `$1${serial}$2`));
            await onHost(h11, ['rndc', 'reload', 'zq.com']);
            await waitFor(
              async () =>
                (await sh('dig', [`@${h11.address}`, '+short', 'SOA', 'zq.com'])).stdout.split(' ')[2] ===
                String(serial),
              10_000,
              `named serving serial ${serial}`,
            );
            const name = `serial-${serial}`;
            const r = await a.upsertDnsRecords({
              zone: 'zq.com',
              zoneFile: '/var/named/zq.com.zone',
              records: [{ name, address: '198.18.76.77' }],
            });
            assert.match(r.description, new RegExp(`serial ${serial}→${expected}`));
            assert.equal(
              (await sh('dig', [`@${h11.address}`, '+short', 'SOA', 'zq.com'])).stdout.split(' ')[2],
              String(expected),
            );
            assert.equal(
              (await sh('dig', [`@${h11.address}`, '+short', `${name}.zq.com`])).stdout.trim(),
              '198.18.76.77',
            );
          }
        } finally {
          a.close();
        }
      },
    );

    await t.test(
      'an agent killed mid-backup: the backup fails, and nothing half-written is listed as valid',
      async () => {
        for (const h of sb.hosts) await restartAgent(h, { ZKF_FAULT_KILL: 'backup.mid' });
        const r = await cli(['backup', file, '--json']);
        assert.equal(r.code, 1, r.stdout);
        for (const h of sb.hosts) await restartAgent(h);
        const list = JSON.parse((await cli(['backups', file, '--json'])).stdout) as Array<{ verified: boolean }>;
        assert.ok(
          list.every((b) => b.verified),
          JSON.stringify(list),
        );
        tally.killPoints.push('backup.mid');
      },
    );

    await t.test(
      'the coordinator killed mid-restore: the data moved aside is still there; a re-run finishes',
      async () => {
        const b = await cli(['backup', file, '--json']);
        assert.equal(b.code, 0, b.stderr);
        const name = (JSON.parse(b.stdout) as { name: string }).name;
        await new Promise<void>((resolve) => {
          const p = spawn(process.execPath, [COORDINATOR, 'restore', file, '--from', name, '--yes'], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          p.stderr!.on('data', (c) => {
            err += c;
            if (/restore changed/.test(err)) p.kill('SIGKILL');
          });
          p.on('exit', () => resolve());
        });
        const aside = () =>
          sb.hosts.flatMap((h) =>
            readdirSync(path.join(h.root, 'data/zookeeper')).filter((n) => n.includes('-aside-')),
          );
        const moved = aside();
        assert.ok(moved.length >= 1, 'at least one host had its data moved aside before the kill');
        const r = await cli(['restore', file, '--from', name, '--yes', '--json']);
        assert.equal(r.code, 0, r.stderr.slice(-3000));
        for (const m of moved) assert.ok(aside().includes(m), `${m} is still there`);
        const st = await statuses();
        assert.deepEqual(st.map((s) => s.mode).sort(), ['follower', 'follower', 'leader']);
      },
    );

    await t.test(
      "certificate faults: expired, another host's, an unknown CA: refused with a message that says which, on both sides",
      async () => {
        const dir = tmpDir(t);
        // Agent side: an agent does not start with an expired certificate, nor with another host's.
        // Same CA, but issued into a copy so the sandbox's own certificates stay as they are.
        const sameCa = path.join(dir, 'same-ca');
        await fs.mkdir(sameCa, { recursive: true });
        await fs.copyFile(pkiPaths(sb.pkiDir).caCert, pkiPaths(sameCa).caCert);
        await fs.copyFile(pkiPaths(sb.pkiDir).caKey, pkiPaths(sameCa).caKey);
        const expired = await issueCertificate(sameCa, {
          name: 'hdss7-12',
          role: 'agent',
          ips: [h12.address],
          notBefore: new Date(Date.now() - 10 * 86_400_000),
          days: 1,
        });
        const conf = await fs.readFile(h12.agentConfig, 'utf8');
        // The host's own agent executable checks a config that points at the bad certificate.
        const tryAgent = async (cert: string, key: string) => {
          const onH12 = (f: string) => `/root/fault-${path.basename(f)}`;
          for (const f of [cert, key]) await fs.copyFile(f, path.join(h12.root, onH12(f)));
          await fs.writeFile(
            path.join(h12.root, 'root/alt.yaml'),
            conf.replace(/cert: [^,]+, key: [^ }]+/, `cert: ${onH12(cert)}, key: ${onH12(key)}`),
          );
          return onHost(
            h12,
            ['/opt/zkfleet-agent/current/bin/zkfleet-agent', '--config', '/root/alt.yaml', '--check'],
            {
              allowFail: true,
            },
          );
        };
        const e1 = await tryAgent(expired.cert, expired.key);
        assert.equal(e1.code, 2);
        assert.match(e1.stderr, /the certificate of "hdss7-12" expired on/);
        const other = await issueCertificate(sameCa, { name: 'hdss7-11', role: 'agent', ips: [h11.address] });
        const e2 = await tryAgent(other.cert, other.key);
        assert.equal(e2.code, 2);
        assert.match(e2.stderr, /is for "hdss7-11", but this agent is "hdss7-12"/);

        // Coordinator side: a real TLS server on hdss7-12's address presenting a bad certificate.
        const present = async (cert: string, key: string, caFile: string) => {
          await onHost(h12, ['systemctl', 'stop', 'zkfleet-agent']);
          const server = spawn(
            'ip',
            [
              'netns',
              'exec',
              h12.ns,
              process.execPath,
              '-e',
              `
        const tls = require('tls'), fs = require('fs');
        tls.createServer({ cert: fs.readFileSync(${JSON.stringify(cert)}), key: fs.readFileSync(${JSON.stringify(key)}), ca: fs.readFileSync(${JSON.stringify(caFile)}), requestCert: true, rejectUnauthorized: false, ALPNProtocols: ['h2'] }, (s) => s.on('error', () => {})).listen(7443, ${JSON.stringify(h12.address)});
      `,
            ],
            { stdio: 'ignore' },
          );
          await waitFor(() => tcpOpen(h12.address, 7443), 10_000, 'fake agent');
          try {
            const r = await cli(['deploy', file, '--json', '--dry-run']);
            return (JSON.parse(r.stdout) as DeployResult).error?.message ?? '';
          } finally {
            server.kill('SIGKILL');
            await sleep(300);
          }
        };
        assert.match(
          await present(expired.cert, expired.key, pkiPaths(sb.pkiDir).caCert),
          /hdss7-12 .*its certificate has expired/,
        );
        assert.match(
          await present(other.cert, other.key, pkiPaths(sb.pkiDir).caCert),
          /presents the certificate of "hdss7-11": a certificate for another host/,
        );
        const foreign = path.join(dir, 'foreign');
        await initCa(foreign);
        const fcert = await issueCertificate(foreign, { name: 'hdss7-12', role: 'agent', ips: [h12.address] });
        assert.match(
          await present(fcert.cert, fcert.key, pkiPaths(foreign).caCert),
          /not signed by this fleet's CA|chains to another CA/,
        );
        await onHost(h12, ['systemctl', 'start', 'zkfleet-agent']);
        await waitFor(() => tcpOpen(h12.address, 7443), 15_000, 'hdss7-12 agent back');

        // A coordinator whose certificate comes from another CA: the agent refuses it, both sides say so.
        const foreignFile = path.join(dir, 'ensemble-foreign.yaml');
        await fs.writeFile(
          foreignFile,
          (await fs.readFile(file, 'utf8'))
            .replace(/^pki: .*$/m, `pki: ${foreign}`)
            .replace(/^name: .*$/m, 'name: foreign-ca'),
        );
        const fr = await cli(['deploy', foreignFile, '--json', '--dry-run']);
        assert.equal(fr.code, 1);
        assert.match(
          (JSON.parse(fr.stdout) as DeployResult).error!.message,
          /its certificate chains to another CA|not signed by this fleet's CA/,
        );
        // A client that trusts our CA but holds a foreign certificate: the agent refuses it, and the client
        // says why (Node's TLS server drops such a connection without an event the agent could log).
        const foreignClient = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(foreign, 'coordinator') });
        assert.match(
          await diagnoseTls(h11.agent, foreignClient, { role: 'agent', name: 'hdss7-11' }),
          /refused this side's certificate: this side's certificate is not signed by the CA it trusts/,
        );
        // A coordinator whose own certificate expired: refused, and it says so.
        const expiredCoordinator = await issueCertificate(sameCa, {
          name: 'coordinator',
          role: 'coordinator',
          notBefore: new Date(Date.now() - 10 * 86_400_000),
          days: 1,
        });
        const expiredClient = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...expiredCoordinator });
        assert.match(
          await diagnoseTls(h11.agent, expiredClient, { role: 'agent', name: 'hdss7-11' }),
          /refused this side's certificate: this side's certificate expired on/,
        );
        // A plain-TCP client is refused and the agent's log says so.
        await new Promise<void>((resolve) => {
          const s = net.connect(7443, h11.address, () => s.end('GET / HTTP/1.1\r\n\r\n'));
          s.on('close', () => resolve());
          s.on('error', () => resolve());
        });
        await sleep(300);
        assert.match(await agentLog(h11), /"message":"TLS handshake refused".*"reason":"not an mTLS client/);
      },
    );

    t.diagnostic(
      `kill points tried: ${tally.killPoints.length} (${tally.killPoints.join(', ')}); writes acknowledged ${tally.writesAcked}, found ${tally.writesFound}; rolls interrupted ${tally.rollsInterrupted}`,
    );
    await converged();
  },
);

/** Once the coordinator `pid` has stopped itself at its pause point: `host` off the network, the coordinator on. */
async function cutOffWhenPaused(pid: number, host: SandboxState['hosts'][number]): Promise<void> {
  const stopped = async () => (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.startsWith('T') === true;
  try {
    await waitFor(stopped, 30_000, 'the coordinator at its pause point after the first restart');
    await sh('ip', ['-n', host.ns, 'link', 'set', 'eth0', 'down']);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}
