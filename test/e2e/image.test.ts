import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { DeployResult } from '../../coordinator/deploy';
import { cli, withSandbox } from '../helpers';
import { onOpsHost } from '../sandbox/ops-host';
import { agentLog, OPS_HOST, RUNBOOK_HOSTS } from '../sandbox/sandbox';

test(
  'ops host: the JRE base image built with buildah and pushed to a real registry',
  { timeout: 900_000 },
  async (t) => {
    const sb = await withSandbox(t, { prefix: 'zki', subnet: 74, hosts: [...RUNBOOK_HOSTS, OPS_HOST] });
    const img = sb.image!;
    const file = sb.ensembleFile;
    const deploy = async (...args: string[]) => {
      const r = await cli(['deploy', file, '--json', ...args]);
      return { ...r, result: JSON.parse(r.stdout) as DeployResult };
    };
    const inspect = async (...args: string[]) =>
      JSON.parse(
        (
          await onOpsHost(sb, 'skopeo', [
            'inspect',
            '--tls-verify=false',
            '--authfile',
            img.authFile,
            ...args,
            `docker://${img.tag}`,
          ])
        ).stdout,
      );
    const runInImage = async (...cmd: string[]) => {
      const cid = (
        await onOpsHost(sb, 'buildah', [
          'from',
          '--tls-verify=false',
          '--authfile',
          img.authFile,
          '--pull-always',
          img.tag,
        ])
      ).stdout
        .trim()
        .split('\n')
        .at(-1)!;
      try {
        return (
          await onOpsHost(sb, 'buildah', [
            'run',
            '--isolation',
            'chroot',
            '--env',
            'JAR_BALL=/opt/project_dir/app.jar',
            '--env',
            'C_OPTS=-Xmx64m',
            cid,
            '--',
            ...cmd,
          ])
        ).stdout;
      } finally {
        await onOpsHost(sb, 'buildah', ['rm', cid], true);
      }
    };

    await t.test('deploy builds and pushes the image alongside the ensemble', async () => {
      const r = await deploy();
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.result.image?.changed, true);
      assert.equal(r.result.image?.builder, 'buildah');
      assert.match(r.result.image!.digest, /^sha256:[0-9a-f]{64}$/);
      assert.deepEqual(
        r.result.hosts
          .filter((h) => h.mode)
          .map((h) => h.mode)
          .sort(),
        ['follower', 'follower', 'leader'],
      );
      // Alongside: the image step started before the ZooKeeper servers were started.
      const lineAt = (re: RegExp) => r.stderr.split('\n').findIndex((l) => re.test(l));
      assert.ok(
        lineAt(/hdss7-200\s+image \.\.\./) < lineAt(/hdss7-1\d\s+start \.\.\./),
        'the build does not wait for the ensemble',
      );
      assert.match(r.stderr, /hdss7-200\s+image \| STEP 1\/8: FROM/);
    });

    await t.test(
      'the registry holds it: Cmd, WorkingDir, label; inside: timezone, exporter config and jar, an entrypoint that execs java',
      async () => {
        const manifest = await inspect();
        const config = await inspect('--config');
        assert.deepEqual(config.config.Cmd, ['sh', '/entrypoint.sh']);
        assert.equal(config.config.WorkingDir, '/opt/project_dir');
        assert.match(config.config.Labels['io.zkfleet.context-hash'], /^[0-9a-f]{64}$/);
        assert.equal(manifest.Labels['io.zkfleet.context-hash'], config.config.Labels['io.zkfleet.context-hash']);
        assert.equal((await runInImage('cat', '/etc/timezone')).trim(), 'Asia/Shanghai');
        assert.equal(await runInImage('cat', '/opt/prom/config.yml'), "---\nrules:\n - pattern: '.*'\n");
        assert.match(await runInImage('ls', '-l', '/opt/prom/jmx_javaagent-0.3.1.jar'), /jmx_javaagent-0\.3\.1\.jar/);
        // A shell records its pid and execs the entrypoint; the stub java records its own pid and argv: the
        // same pid means exec all the way down (java is PID 1 in a container started with CMD).
        const out = await runInImage(
          'sh',
          '-c',
          "sh -c 'echo $$ > /tmp/shell-pid; exec sh /entrypoint.sh' >/dev/null; cat /tmp/shell-pid /tmp/java-argv",
        );
        const [shellPid, javaLine] = out.trim().split('\n');
        const [javaPid, ...argv] = javaLine.split(' ');
        assert.equal(javaPid, shellPid, 'java replaced the entrypoint shell (exec)');
        // `hostname -i` has no address to give under `buildah run` (no network identity); in a pod it has.
        assert.match(
          argv.join(' '),
          /^-Duser\.timezone=Asia\/Shanghai -javaagent:\/opt\/prom\/jmx_javaagent-0\.3\.1\.jar=[\d.]*:12346:\/opt\/prom\/config\.yml -Xmx64m -jar \/opt\/project_dir\/app\.jar$/,
        );
      },
    );

    await t.test('a second deploy reports the image unchanged and pushes nothing', async () => {
      const before = (await inspect()).Digest;
      // The registry's own access log (its journal on the ops host): no manifest or blob was PUT.
      const registryLog = async () =>
        (await onOpsHost(sb, 'journalctl', ['-u', 'docker-registry', '-o', 'cat', '--no-pager'])).stdout;
      const logBefore = (await registryLog()).length;
      const r = await deploy('--only', 'image');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.result.image?.changed, false);
      assert.equal(r.result.image?.digest, before);
      assert.doesNotMatch(r.stderr, /STEP 1\/8/);
      assert.equal((await inspect()).Digest, before);
      assert.doesNotMatch((await registryLog()).slice(logBefore), /PUT \/v2\//);
    });

    await t.test('changing the timezone rebuilds', async () => {
      const before = (await inspect()).Digest;
      await fs.writeFile(
        file,
        (await fs.readFile(file, 'utf8')).replace('timezone: Asia/Shanghai', 'timezone: Asia/Tokyo'),
      );
      const r = await deploy('--only', 'image');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.result.image?.changed, true);
      assert.notEqual(r.result.image?.digest, before);
      assert.equal((await runInImage('cat', '/etc/timezone')).trim(), 'Asia/Tokyo');
    });

    await t.test(
      'a wrong registry password: a clear error, nothing pushed, the password nowhere in logs or messages',
      async () => {
        const before = (await inspect()).Digest;
        const credFile = path.join(
          sb.hosts.find((h) => h.name === 'hdss7-200')!.root,
          'etc/zkfleet/registry-auth.json',
        );
        const good = await fs.readFile(credFile, 'utf8');
        const wrong = 'Wr0ngPassw0rd-not-this-one';
        await fs.writeFile(credFile, JSON.stringify({ username: img.username, password: wrong }), { mode: 0o600 });
        await fs.writeFile(
          file,
          (await fs.readFile(file, 'utf8')).replace('timezone: Asia/Tokyo', 'timezone: Asia/Shanghai'),
        );
        const r = await deploy('--only', 'image');
        const text = await cli(['deploy', file, '--only', 'image']);
        await fs.writeFile(credFile, good, { mode: 0o600 });
        assert.equal(r.code, 2);
        const host = r.result.hosts.find((h) => h.name === 'hdss7-200')!;
        assert.match(host.error!, /the registry harbor\.zq\.com:5000 refused the credentials/);
        assert.equal(text.code, 2);
        assert.match(
          text.stdout,
          /hdss7-200 .*FAILED: image: the registry harbor\.zq\.com:5000 refused the credentials/,
        );
        const log = await agentLog(sb.hosts.find((h) => h.name === 'hdss7-200')!);
        for (const where of [r.stdout, r.stderr, text.stdout, text.stderr, log]) {
          assert.ok(!where.includes(wrong), 'the password leaked');
          assert.ok(
            !where.includes(Buffer.from(`${img.username}:${wrong}`).toString('base64')),
            'the encoded password leaked',
          );
        }
        assert.equal((await inspect()).Digest, before, 'nothing was pushed');
      },
    );
  },
);
