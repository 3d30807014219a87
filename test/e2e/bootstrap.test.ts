import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { BootstrapResult } from '../../coordinator/bootstrap';
import type { ExecHostResult } from '../../coordinator/cli/exec';
import type { DeployResult } from '../../coordinator/deploy';
import type { StatusResult } from '../../coordinator/zookeeper/status';
import { cli, REPO, tmpDir, withSandbox } from '../helpers';
import { onHost, OPS_HOST, RUNBOOK_HOSTS, type SandboxHostState } from '../sandbox/sandbox';
import { sh } from '../sandbox/sh';

const NEWER = '0.2.1-test';

/** A release whose agent cannot start: what a bad build looks like to a host. */
async function brokenRelease(dir: string, from: string): Promise<string> {
  const work = path.join(dir, 'broken');
  await fs.mkdir(work, { recursive: true });
  await sh('tar', ['-xzf', from, '-C', work]);
  const top = path.join(work, `zkfleet-agent-${NEWER}-linux-x64`);
  const name = 'zkfleet-agent-0.2.2-broken-linux-x64';
  await fs.rename(top, path.join(work, name));
  await fs.writeFile(path.join(work, name, 'bin/zkfleet-agent'), '#!/bin/sh\necho "a broken build" >&2\nexit 1\n', {
    mode: 0o755,
  });
  const manifest = JSON.parse(await fs.readFile(path.join(work, name, 'MANIFEST.json'), 'utf8'));
  await fs.writeFile(path.join(work, name, 'MANIFEST.json'), JSON.stringify({ ...manifest, version: '0.2.2-broken' }));
  const tarball = path.join(dir, `${name}.tar.gz`);
  await sh('tar', ['-czf', tarball, '-C', work, name]);
  return tarball;
}

test(
  'coordinator bootstrap: from bare hosts to a deployed ensemble; refusals, idempotence, upgrade and rollback',
  { timeout: 900_000 },
  async (t) => {
    const sb = await withSandbox(t, { prefix: 'zks', subnet: 77, hosts: [...RUNBOOK_HOSTS, OPS_HOST], bare: true });
    const file = sb.ensembleFile;
    const [h11, h12, h21, h200] = sb.hosts;
    const boot = async (...args: string[]) => {
      const r = await cli(['bootstrap', file, '--ssh-config', sb.ssh.config, '--json', ...args], {
        timeoutMs: 600_000,
      });
      return { ...r, result: JSON.parse(r.stdout) as BootstrapResult };
    };
    const byName = (r: BootstrapResult) => Object.fromEntries(r.hosts.map((h) => [h.name, h]));
    const zkPids = () =>
      Promise.all(
        [h11, h12, h21].map((h) => fs.readFile(path.join(h.root, 'data/zookeeper/data/zookeeper_server.pid'), 'utf8')),
      );

    await t.test('the release executable runs with nothing but /usr/bin:/bin, and --check reads a config', async () => {
      const dir = tmpDir(t);
      await sh('tar', ['-xzf', sb.release, '-C', dir]);
      const bin = path.join(dir, path.basename(sb.release, '.tar.gz'), 'bin/zkfleet-agent');
      const env = { PATH: '/usr/bin:/bin' };
      const v = await sh(bin, ['--version'], { env });
      assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+/);
      const bad = await sh(bin, ['--config', path.join(dir, 'nope.yaml'), '--check'], { env, allowFail: true });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /cannot read .*nope\.yaml/);
      const conf = path.join(dir, 'agent.yaml');
      await fs.writeFile(
        conf,
        'name: a\nlisten: 127.0.0.1:7443\ntls: { ca: /x/ca.crt, cert: /x/a.crt, key: /x/a.key }\n',
      );
      const check = await sh(bin, ['--config', conf, '--check'], { env, allowFail: true });
      assert.equal(check.code, 2);
      assert.match(
        check.stderr,
        /cannot read TLS ca \/x\/ca\.crt/,
        'the config was read and checked as far as the TLS files',
      );
    });

    await t.test(
      'hosts that cannot run the agent are refused with the reason, nothing changed on them; the others bootstrapped',
      async () => {
        const init = await cli(['pki', 'init', sb.pkiDir, '--ip', sb.gateway, '--ip', '127.0.0.1']);
        assert.equal(init.code, 0, init.stderr);
        // CentOS 7's glibc on hdss7-11 (the release brings its own: accepted), CentOS 6's kernel on hdss7-21, the
        // agent's port taken on hdss7-12, SSH refused on hdss7-200.
        const getconf =
          '#!/bin/sh\nif [ "$1" = GNU_LIBC_VERSION ]; then echo "glibc 2.17"; exit 0; fi\nexec /usr/bin/getconf "$@"\n';
        await fs.writeFile(path.join(h11.root, 'usr/local/bin/getconf'), getconf, { mode: 0o755 });
        const uname =
          '#!/bin/sh\nif [ "$1" = -r ]; then echo 2.6.32-754.el6.x86_64; exit 0; fi\nexec /usr/bin/uname "$@"\n';
        await fs.writeFile(path.join(h21.root, 'usr/local/bin/uname'), uname, { mode: 0o755 });
        await onHost(h12, [
          'systemd-run',
          '--unit=squatter',
          'systemd-socket-activate',
          '-l',
          '7443',
          '--',
          '/bin/cat',
        ]);
        await onHost(h200, ['systemctl', 'stop', 'ssh.service']);
        const r = await boot();
        assert.equal(r.code, 2, r.stderr);
        const h = byName(r.result);
        assert.equal(h['hdss7-11'].error, undefined, h['hdss7-11'].error);
        assert.equal(h['hdss7-11'].version, r.result.release!.version);
        assert.match(h['hdss7-11'].steps[0].description, /glibc 2\.17, systemd \d+, Linux /);
        assert.match(h['hdss7-21'].error!, /Linux 2\.6\.32-754\.el6\.x86_64 is older than 3\.10/);
        assert.match(h['hdss7-12'].error!, /port 7443 is taken/);
        assert.match(h['hdss7-200'].error!, /ssh to 198\.18\.77\.200 failed: .*Connection refused/);
        for (const x of [h12, h21, h200]) {
          assert.ok(!existsSync(path.join(x.root, 'opt/zkfleet-agent')), `${x.name}: nothing installed`);
          assert.ok(!existsSync(path.join(x.root, 'etc/zkfleet/agent.yaml')), `${x.name}: nothing configured`);
        }
        await fs.rm(path.join(h11.root, 'usr/local/bin/getconf'));
        await fs.rm(path.join(h21.root, 'usr/local/bin/uname'));
        await onHost(h12, ['systemctl', 'stop', 'squatter']);
        await onHost(h200, ['systemctl', 'start', 'ssh.service']);
      },
    );

    await t.test('the rest bootstrapped; a deploy through the agents: quorum, DNS, image', async () => {
      const r = await boot();
      assert.equal(r.code, 0, r.stdout);
      assert.ok(r.result.hosts.every((x) => x.version === r.result.release!.version));
      const h = byName(r.result);
      assert.deepEqual(
        h['hdss7-11'].steps.map((s) => s.step),
        ['probe', 'answer'],
        'the bootstrapped host is left as it was',
      );
      const d = await cli(['deploy', file, '--json']);
      assert.equal(d.code, 0, d.stderr.slice(-3000));
      const result = JSON.parse(d.stdout) as DeployResult;
      assert.deepEqual(
        result.hosts
          .filter((x) => x.mode)
          .map((x) => x.mode)
          .sort(),
        ['follower', 'follower', 'leader'],
      );
      assert.equal(result.image?.changed, true);
      const dig = await sh('ip', ['netns', 'exec', h12.ns, 'dig', '+short', 'zk3.zq.com']);
      assert.equal(dig.stdout.trim(), h21.address);
    });

    await t.test('no node, npm, node_modules or repository on any host', async () => {
      for (const h of sb.hosts) {
        const which = await onHost(h, ['sh', '-c', 'command -v node || command -v npm || command -v npx'], {
          allowFail: true,
        });
        assert.notEqual(which.code, 0, `${h.name} has ${which.stdout}`);
        const found = await sh('find', [
          h.root,
          '-xdev',
          '(',
          '-name',
          'node_modules',
          '-o',
          '-name',
          'package-lock.json',
          '-o',
          '-name',
          'tsconfig.json',
          ')',
          '-print',
          '-quit',
        ]);
        assert.equal(found.stdout.trim(), '', `${h.name}: ${found.stdout}`);
      }
    });

    await t.test("no agent's private key exists outside its host's /etc/zkfleet", async () => {
      const agentsDir = path.join(sb.pkiDir, 'agents');
      const inPki = existsSync(agentsDir) ? await fs.readdir(agentsDir) : [];
      assert.deepEqual(
        inPki.filter((n) => n.endsWith('.key')),
        [],
        'the coordinator holds no agent key',
      );
      const places = [
        sb.pkiDir,
        path.join(sb.dir, '.zkfleet'),
        path.join(sb.dir, 'ssh'),
        ...sb.hosts.map((h) => h.machine.upper),
      ];
      for (const h of sb.hosts) {
        const pem = await fs.readFile(path.join(h.root, 'etc/zkfleet/agent.key'), 'utf8');
        const line = pem.split('\n')[1];
        const hits = await sh('grep', ['-rlF', '--', line, ...places.filter((p) => existsSync(p))], {
          allowFail: true,
        });
        const files = hits.stdout.trim().split('\n').filter(Boolean);
        assert.deepEqual(
          files,
          [path.join(h.machine.upper, 'etc/zkfleet/agent.key')],
          `${h.name}: its key is found at ${files.join(', ')}`,
        );
        const st = await fs.stat(path.join(h.root, 'etc/zkfleet/agent.key'));
        assert.equal(st.mode & 0o777, 0o600);
      }
    });

    await t.test('a second bootstrap changes nothing and says so', async () => {
      const pids = await zkPids();
      const r = await boot();
      assert.equal(r.code, 0);
      assert.equal(r.result.changed, false);
      for (const h of r.result.hosts)
        assert.deepEqual(
          h.steps.map((s) => s.step),
          ['probe', 'answer'],
          h.name,
        );
      const text = await cli(['bootstrap', file, '--ssh-config', sb.ssh.config]);
      assert.match(text.stdout, /no change: every agent already runs this release with this configuration/);
      assert.deepEqual(await zkPids(), pids);
    });

    await t.test(
      'inside a host the agent runs under its hardened unit; a restart of it leaves ZooKeeper running',
      async () => {
        const show = await onHost(h12, [
          'systemctl',
          'show',
          '-p',
          'ActiveState',
          '-p',
          'ProtectSystem',
          '-p',
          'KillMode',
          'zkfleet-agent',
        ]);
        assert.match(show.stdout, /ActiveState=active/);
        assert.match(show.stdout, /ProtectSystem=strict/);
        assert.match(show.stdout, /KillMode=process/);
        const status = await onHost(h12, ['systemctl', 'status', '--no-pager', 'zkfleet-agent'], { allowFail: true });
        assert.match(status.stdout, /Active: active \(running\)/);
        const before = await zkPids();
        await onHost(h12, ['systemctl', 'restart', 'zkfleet-agent']);
        assert.deepEqual(await zkPids(), before);
        const pid = before[1].trim();
        assert.equal((await onHost(h12, ['kill', '-0', pid], { allowFail: true })).code, 0, 'the server still runs');
      },
    );

    let newer = '';
    await t.test('a newer release upgrades every agent one host at a time; ZooKeeper keeps running', async () => {
      const out = tmpDir(t);
      await sh(process.execPath, [path.join(REPO, 'scripts/release.js'), '--version', NEWER, '--out', out], {
        timeoutMs: 600_000,
      });
      newer = path.join(out, `zkfleet-agent-${NEWER}-linux-x64.tar.gz`);
      const pids = await zkPids();
      const r = await boot('--release', newer);
      assert.equal(r.code, 0, r.stdout);
      assert.ok(r.result.hosts.every((h) => h.version === NEWER && h.from === r.result.hosts[0].from));
      // One at a time: each host's upgrade (its steps after the probe) ends before the next one's begins.
      const spans = r.result.hosts.map((h) => h.steps.filter((s) => s.step !== 'probe'));
      assert.ok(spans.every((s) => s.some((x) => x.step === 'restart')));
      for (let i = 1; i < spans.length; i++) {
        const end = Math.max(...spans[i - 1].map((s) => s.at + s.ms));
        assert.ok(
          end <= Math.min(...spans[i].map((s) => s.at)),
          `${r.result.hosts[i].name} began before the host before it was done`,
        );
      }
      assert.deepEqual(await zkPids(), pids, 'the ZooKeeper servers kept running');
      const ex = await cli(['exec', file, '--json', '--', '/opt/zkfleet-agent/current/bin/zkfleet-agent', '--version']);
      const results = (JSON.parse(ex.stdout) as { results: ExecHostResult[] }).results;
      assert.deepEqual(
        results.map((x) => [x.host, x.stdout.trim()]),
        sb.hosts.map((h) => [h.name, NEWER]),
      );
      const st = JSON.parse((await cli(['status', file, '--json', '--live'])).stdout) as StatusResult;
      assert.deepEqual(
        st.hosts.map((h) => h.agentVersion),
        [NEWER, NEWER, NEWER],
      );
    });

    await t.test(
      'a new agent that does not start is rolled back on its host; the hosts after it are left alone',
      async () => {
        const broken = await brokenRelease(tmpDir(t), newer);
        const pids = await zkPids();
        const r = await boot('--release', broken);
        assert.equal(r.code, 2);
        const [first, ...rest] = r.result.hosts;
        assert.match(first.error!, /restart: .*a broken build|systemctl restart zkfleet-agent failed/);
        assert.ok(
          first.steps.some(
            (s) => s.step === 'rollback' && s.changed && new RegExp(`back on ${NEWER}`).test(s.description),
          ),
        );
        assert.equal(first.version, NEWER);
        for (const h of rest) {
          assert.match(h.error!, /left alone: the upgrade of .* failed and was rolled back/);
          assert.ok(!h.steps.some((s) => s.changed), `${h.name} was not touched`);
        }
        const current = (h: SandboxHostState) => fs.readlink(path.join(h.root, 'opt/zkfleet-agent/current'));
        for (const h of sb.hosts) assert.equal(await current(h), `releases/${NEWER}`);
        assert.deepEqual(await zkPids(), pids);
        const ex = await cli(['exec', file, '--json', '--', 'true']);
        assert.equal(ex.code, 0, 'every agent answers');
      },
    );
  },
);
