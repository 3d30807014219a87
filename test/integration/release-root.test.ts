import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { run } from '../../agent/daemon/run';
import { initCa, issueCertificate, pkiPaths } from '../../shared/pki/pki';
import { REPO, tmpDir } from '../helpers';

/**
 * The release brings its own C runtime: inside a root that holds nothing but the release, /proc, /dev and its
 * config — no /lib, no /usr/lib, no shell — its executable answers --version and --check. Made by
 * scripts/test.sh (`node scripts/release.js`) before the tests.
 */
async function releaseTarball(): Promise<string> {
  const dir = path.join(REPO, 'release');
  const name = (await fs.readdir(dir).catch(() => [] as string[])).find((f) => /^zkfleet-agent-.*\.tar\.gz$/.test(f));
  assert.ok(name, `no release in ${dir}: run \`node scripts/release.js\` (scripts/test.sh does) before the tests`);
  return path.join(dir, name);
}

async function bareRoot(t: Parameters<typeof tmpDir>[0]): Promise<string> {
  const root = tmpDir(t, 'zkf-bare-root-');
  const opt = path.join(root, 'opt/zkfleet-agent');
  await fs.mkdir(opt, { recursive: true });
  await run('tar', ['-xzf', await releaseTarball(), '-C', opt, '--strip-components=1']);
  for (const d of ['proc', 'dev', 'etc/zkfleet', 'var/lib/zkfleet-agent'])
    await fs.mkdir(path.join(root, d), { recursive: true });
  const pki = tmpDir(t);
  await initCa(pki);
  const files = await issueCertificate(pki, { name: 'hdss7-11', role: 'agent', ips: ['127.0.0.1'] });
  await fs.copyFile(pkiPaths(pki).caCert, path.join(root, 'etc/zkfleet/ca.crt'));
  await fs.copyFile(files.cert, path.join(root, 'etc/zkfleet/agent.crt'));
  await fs.copyFile(files.key, path.join(root, 'etc/zkfleet/agent.key'));
  const config = [
    'name: hdss7-11',
    'listen: 127.0.0.1:7443',
    'tls: { ca: /etc/zkfleet/ca.crt, cert: /etc/zkfleet/agent.crt, key: /etc/zkfleet/agent.key }',
    'capabilities: [zookeeper]',
  ];
  await fs.writeFile(path.join(root, 'etc/zkfleet/agent.yaml'), config.join('\n') + '\n');
  return root;
}

/** The command run chrooted into `root`, with /proc and /dev mounted in a mount namespace of its own. */
function inRoot(root: string, argv: string[]) {
  const script = 'mount --bind /proc "$0/proc" && mount --rbind /dev "$0/dev" && exec chroot "$0" "$@"';
  return run('unshare', ['--mount', 'sh', '-c', script, root, ...argv], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
}

test('the release runs in a root with no C library of its own: --version and --check', async (t) => {
  const root = await bareRoot(t);
  for (const d of ['lib', 'lib64', 'usr', 'bin', 'sbin']) {
    assert.equal(await fs.stat(path.join(root, d)).catch(() => undefined), undefined, `${d} in the bare root`);
  }
  const version = await inRoot(root, ['/opt/zkfleet-agent/bin/zkfleet-agent', '--version']);
  const manifest = JSON.parse(await fs.readFile(path.join(root, 'opt/zkfleet-agent/MANIFEST.json'), 'utf8'));
  assert.equal(version.stdout.trim(), manifest.version);
  assert.deepEqual(manifest.needs, { kernel: '3.10', systemd: 219 });
  const check = await inRoot(root, [
    '/opt/zkfleet-agent/bin/zkfleet-agent',
    '--config',
    '/etc/zkfleet/agent.yaml',
    '--check',
  ]);
  assert.equal(check.stdout.trim(), '/etc/zkfleet/agent.yaml: valid');
  // Without its libraries the release cannot run: the root really holds no other C library.
  await fs.rename(path.join(root, 'opt/zkfleet-agent/lib/libc.so.6'), path.join(root, 'libc.so.6.aside'));
  const broken = await inRoot(root, ['/opt/zkfleet-agent/bin/zkfleet-agent', '--version']).catch((err) => err as Error);
  assert.ok(broken instanceof Error, 'it ran without the libc it carries');
});
