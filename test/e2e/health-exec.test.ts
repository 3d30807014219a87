import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import type { StatusResult } from '../../coordinator/cli/status';
import type { ExecHostResult } from '../../coordinator/cli/exec';
import { fetchServerView } from '../../coordinator/fleet/health-view';
import { loadEnsemble } from '../../coordinator/ensemble/file';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { zkfleetProto } from '../../shared/proto';
import { clientCredentials, loadTls } from '../../shared/pki/tls';
import { cli, COORDINATOR, fleetCertificate, seriesValue, withSandbox } from '../helpers';
import { onHost, waitFor } from '../sandbox/sandbox';
import { sh } from '../sandbox/sh';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(150);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

test(
  'health reports to coordinator serve; status, events, metrics; coordinator exec',
  { timeout: 900_000 },
  async (t) => {
    const sb = await withSandbox(t, { prefix: 'zkh', subnet: 73, reportIntervalMs: 1000 });
    const serve = () => {
      const p = spawn(process.execPath, [COORDINATOR, 'serve', '--config', sb.serveConfig], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      p.stderr!.on('data', (c) => {
        log += c;
      });
      return { p, log: () => log };
    };
    let server: { p: ChildProcess; log: () => string } = serve();
    t.after(() => {
      server.p.kill('SIGKILL');
    });
    const e = await loadEnsemble(sb.ensembleFile, { checkArtifacts: false });
    const status = async () => JSON.parse((await cli(['status', sb.ensembleFile, '--json'])).stdout) as StatusResult;

    const d = await cli(['deploy', sb.ensembleFile, '--json']);
    // With --json the error is in the result on stdout; the progress on stderr says where it stopped.
    assert.equal(d.code, 0, `${d.stdout}\n${d.stderr}`);

    await t.test("every agent reports; status uses the server's view with report ages", async () => {
      const s = await until('reports from all hosts', 15_000, async () => {
        const x = await status();
        // Reports taken while a follower was still syncing say so: wait for one from each serving server.
        const serving = x.hosts.every((h) => h.reportAgeMs !== undefined && ['leader', 'follower'].includes(h.mode));
        return x.source === 'server' && serving && x.quorum ? x : undefined;
      });
      assert.equal(s.leader !== undefined, true);
      assert.equal(s.tolerates, 1);
      assert.ok(s.hosts.every((h) => h.reportAgeMs! < 5000));
      const text = await cli(['status', sb.ensembleFile]);
      assert.match(
        text.stdout,
        /quorum yes, leader hdss7-\d+, tolerates 1 more failure.*\(from the coordinator server\)/,
      );
      assert.match(text.stdout, /report \d+(ms|s) ago/);
    });

    await t.test('/metrics on the coordinator server and on an agent', async () => {
      const served = async () => (await fetch(`http://${sb.gateway}:9400/metrics`)).text();
      // A report taken just before the deploy's client check wrote may still show the zxid of an empty
      // follower (0); the next reports (every second) carry the write.
      const zxid = /zkfleet_zookeeper_zxid\{host="hdss7-21"\} [1-9]\d*/;
      await waitFor(async () => zxid.test(await served()), 5000, 'a report of hdss7-21 with the written zxid');
      const m = await served();
      assert.match(m, /zkfleet_host_up\{host="hdss7-11"\} 1/);
      assert.match(m, /zkfleet_zookeeper_mode\{host="hdss7-1[12]",mode="(leader|follower)"\} 1/);
      assert.match(m, zxid);
      assert.match(m, /zkfleet_report_age_seconds\{host="hdss7-12"\} \d/);
      const a = await (await fetch(`http://${sb.hosts[1].address}:9100/metrics`)).text();
      const rpcs = seriesValue(a, 'zkfleet_agent_rpc_total', {
        host: 'hdss7-12',
        method: 'ConfigureZooKeeper',
        result: 'ok',
      });
      assert.ok(rpcs && rpcs >= 1, `ConfigureZooKeeper calls: ${rpcs}`);
      assert.ok((seriesValue(a, 'process_resident_memory_bytes', { host: 'hdss7-12' }) ?? 0) > 0);
      // The server's own figures from mntr (3.8.0 here; the mixed-host test checks 3.4.13).
      assert.match(a, /zookeeper_znode_count\{host="hdss7-12",myid="2"\} [1-9]\d*/);
      assert.match(a, /zookeeper_server_state\{host="hdss7-12",myid="2",state="(leader|follower)"\} 1/);
    });

    await t.test('a report for another host, a coordinator certificate, plain TCP: refused', async () => {
      const Coordinator = zkfleetProto().zkfleet.v1.Coordinator;
      const report = (creds: grpc.ChannelCredentials, name: string) =>
        new Promise<grpc.ServiceError | undefined>((resolve) => {
          const c = new Coordinator(sb.coordinatorAddress, creds);
          c.Report(
            { name, sentAtMs: Date.now(), ttlMs: 3000, zookeeper: { mode: 'leader' }, drift: [], disks: [] },
            { deadline: Date.now() + 3000 },
            (err) => {
              c.close();
              resolve(err ?? undefined);
            },
          );
        });
      // A certificate of hdss7-11 made by the fleet's CA here (the real one's key never left the host).
      const asA = await loadTls(await fleetCertificate(t, sb, 'hdss7-11', 'agent'));
      const forged = await report(clientCredentials(asA, { role: 'coordinator' }), 'hdss7-12');
      assert.equal(forged?.code, grpc.status.PERMISSION_DENIED);
      assert.match(forged!.details, /the certificate of "hdss7-11" cannot report for "hdss7-12"/);
      const coord = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
      const asCoordinator = await report(clientCredentials(coord, { role: 'coordinator' }), 'hdss7-11');
      assert.equal(asCoordinator?.code, grpc.status.PERMISSION_DENIED);
      const plain = await report(grpc.credentials.createInsecure(), 'hdss7-11');
      assert.equal(plain?.code, grpc.status.UNAVAILABLE);
      // The forged report ("hdss7-12 is leader") changed nothing: hdss7-12 is what its own agent says.
      const a12 = new AgentConnection('hdss7-12', sb.hosts[1].agent, coord);
      const real = await a12.zooKeeperStatus();
      a12.close();
      const v = await until('a fresh report from hdss7-12', 5000, async () => {
        const x = await fetchServerView(e);
        return x && Date.now() - x.hosts['hdss7-12'].receivedAt < 1500 ? x : undefined;
      });
      assert.equal(v.hosts['hdss7-12'].zookeeper.mode, real.mode);
    });

    await t.test('stopping a ZooKeeper server: the mode change and the new leader show up', async () => {
      const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
      const st = await Promise.all(
        sb.hosts.map(async (h) => {
          const a = new AgentConnection(h.name, h.agent, tls);
          try {
            return await a.zooKeeperStatus();
          } finally {
            a.close();
          }
        }),
      );
      const li = st.findIndex((s) => s.mode === 'leader');
      const old = sb.hosts[li].name;
      // Stopped on purpose, so that it stays down (a killed server is started again by its supervisor).
      // The stop returns once the others serve again, naming the new leader: a status right after has a quorum.
      const stopped = await cli(['stop', sb.ensembleFile, '--host', old]);
      assert.equal(stopped.code, 0, stopped.stderr);
      const leads = /^quorum: 2 serving, (hdss7-\d+) leads$/m.exec(stopped.stdout);
      assert.ok(leads && leads[1] !== old, stopped.stdout);
      const right = await cli(['status', sb.ensembleFile, '--live', '--json']);
      assert.equal((JSON.parse(right.stdout) as StatusResult).leader, leads![1]);
      const s = await until('a new leader in the server view', 20_000, async () => {
        const x = await status();
        return x.source === 'server' &&
          x.leader &&
          x.leader !== old &&
          x.hosts.find((h) => h.name === old)!.mode === 'down'
          ? x
          : undefined;
      });
      assert.equal(s.tolerates, 0);
      const v = await fetchServerView(e);
      assert.ok(
        v!.events.some((ev) => ev.host === old && ev.kind === 'mode' && /leader → (down|not_serving)/.test(ev.detail)),
        JSON.stringify(v!.events),
      );
      assert.ok(v!.events.some((ev) => ev.host === s.leader && ev.kind === 'mode' && /→ leader/.test(ev.detail)));
      const r = await cli(['deploy', sb.ensembleFile]);
      assert.equal(r.code, 0, r.stderr);
    });

    await t.test('a hand-edited zoo.cfg shows as drift', async () => {
      const cfg = path.join(sb.hosts[2].root, 'opt/zookeeper/conf/zoo.cfg');
      await fs.appendFile(cfg, 'maxClientCnxns=5000\n');
      const s = await until('drift reported', 10_000, async () => {
        const x = await status();
        return x.drifted.includes('hdss7-21') ? x : undefined;
      });
      assert.deepEqual(s.hosts.find((h) => h.name === 'hdss7-21')!.drift, ['zoo.cfg edited by hand']);
      const text = await cli(['status', sb.ensembleFile]);
      assert.equal(text.code, 2, 'degraded: exit 2');
      assert.match(text.stdout, /drifted: hdss7-21/);
      assert.match(text.stdout, /DRIFT: zoo.cfg edited by hand/);
    });

    await t.test('restarting the coordinator server keeps the last reports and events', async () => {
      const before = await fetchServerView(e);
      server.p.kill('SIGTERM');
      await new Promise((r) => server.p.once('exit', r));
      // While it is down, status falls back to asking the agents.
      const live = await status();
      assert.equal(live.source, 'agents');
      server = serve();
      const v = await until('the restarted server', 10_000, async () => fetchServerView(e));
      assert.deepEqual(Object.keys(v.hosts).sort(), Object.keys(before!.hosts).sort());
      assert.ok(
        v.events.some((ev) => ev.kind === 'drift' && ev.host === 'hdss7-21'),
        'events survive a restart',
      );
    });

    await t.test('stopping an agent marks its host stale within the TTL', async () => {
      const h = sb.hosts[1];
      await onHost(h, ['systemctl', 'stop', 'zkfleet-agent']);
      const stoppedAt = Date.now();
      const s = await until('hdss7-12 stale', 10_000, async () => {
        const x = await status();
        return x.stale.includes('hdss7-12') ? x : undefined;
      });
      const took = Date.now() - stoppedAt;
      assert.ok(took <= 3000 + 1500, `stale after ${took} ms (TTL 3 s)`);
      assert.equal(s.hosts.find((x) => x.name === 'hdss7-12')!.mode, 'unreachable');
      const v = await fetchServerView(e);
      assert.ok(v!.events.some((ev) => ev.host === 'hdss7-12' && ev.kind === 'stale'));

      // An unreachable host is reported by exec; the others still run.
      const r = await cli(['exec', sb.ensembleFile, '--json', '--', 'true']);
      assert.equal(r.code, 2);
      const res = (JSON.parse(r.stdout) as { results: ExecHostResult[] }).results;
      assert.deepEqual(
        res.map((x) => [x.host, x.exitCode]),
        [
          ['hdss7-11', 0],
          ['hdss7-12', null],
          ['hdss7-21', 0],
        ],
      );
      assert.match(res[1].error!, /UNAVAILABLE/);
      await onHost(h, ['systemctl', 'start', 'zkfleet-agent']);
      await until('hdss7-12 back', 15_000, async () => {
        const x = await status();
        return !x.stale.length ? x : undefined;
      });
    });

    await t.test(
      "the agent runs on the release's C library; what it starts, on the host's, with no variable of it",
      async () => {
        const [h] = sb.hosts;
        const agentMaps = await onHost(h, [
          'sh',
          '-c',
          'cat /proc/$(systemctl show -p MainPID --value zkfleet-agent)/maps',
        ]);
        assert.match(agentMaps.stdout, /\/opt\/zkfleet-agent\/releases\/[^/]+\/lib\/libc\.so\.6/);
        const r = await cli([
          'exec',
          sb.ensembleFile,
          '--json',
          '--host',
          h.name,
          '--',
          'sh',
          '-c',
          'cat /proc/self/maps; echo ===; env',
        ]);
        assert.equal(r.code, 0, r.stderr);
        const [maps, env] = (JSON.parse(r.stdout) as { results: ExecHostResult[] }).results[0].stdout.split('===\n');
        assert.match(maps, /\/lib\/x86_64-linux-gnu\/libc\.so\.6/);
        assert.doesNotMatch(maps, /zkfleet-agent/);
        assert.doesNotMatch(env, /^LD_[A-Z_]+=/m);
        assert.doesNotMatch(env, /zkfleet-agent\/releases\/[^/]+\/lib/);
      },
    );

    await t.test('coordinator exec: outputs prefixed by host, exit codes, --timeout, Ctrl-C', async () => {
      const r = await cli(['exec', sb.ensembleFile, '--', 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
      assert.equal(r.code, 0, r.stderr);
      for (const h of sb.hosts)
        assert.match(r.stdout, new RegExp(`^${h.name} \\| .*inet ${h.address.replace(/\./g, '\\.')}/24`, 'm'));

      const failing = await cli([
        'exec',
        sb.ensembleFile,
        '--json',
        '--shell',
        '--',
        `ip -o addr show eth0 | grep -q ${sb.hosts[1].address.replace(/\./g, '\\.')}/ && { echo bad >&2; exit 3; }; echo fine`,
      ]);
      assert.equal(failing.code, 2);
      const fr = (JSON.parse(failing.stdout) as { results: ExecHostResult[] }).results;
      assert.deepEqual(
        fr.map((x) => [x.host, x.exitCode, x.stdout.trim(), x.stderr.trim()]),
        [
          ['hdss7-11', 0, 'fine', ''],
          ['hdss7-12', 3, '', 'bad'],
          ['hdss7-21', 0, 'fine', ''],
        ],
      );

      const marker = `100.${String(Date.now()).slice(-5)}`;
      const timed = await cli(['exec', sb.ensembleFile, '--json', '--timeout', '1', '--', 'sleep', marker]);
      assert.equal(timed.code, 2);
      assert.ok((JSON.parse(timed.stdout) as { results: ExecHostResult[] }).results.every((x) => x.timedOut));
      assert.equal(
        (await sh('pgrep', ['-f', `sleep ${marker}`], { allowFail: true })).code,
        1,
        'no sleep left on any host',
      );

      const marker2 = `100.${String(Date.now() + 7).slice(-5)}`;
      const started = Date.now();
      const interrupted = await cli(['exec', sb.ensembleFile, '--', 'sleep', marker2], { signalAfterMs: 1500 });
      assert.equal(interrupted.code, 130);
      assert.ok(Date.now() - started < 6000);
      await sleep(300);
      assert.equal(
        (await sh('pgrep', ['-f', `sleep ${marker2}`], { allowFail: true })).code,
        1,
        'SIGINT left no remote process behind',
      );

      const auditLog = await fs.readFile(path.join(e.stateDir, 'exec-audit.jsonl'), 'utf8');
      assert.ok(
        auditLog
          .split('\n')
          .filter(Boolean)
          .some((l) => {
            const a = JSON.parse(l) as { argv: string[]; hosts: Array<{ exitCode: number }> };
            return a.argv[0] === 'ip' && a.hosts.length === 3;
          }),
      );
    });
  },
);
