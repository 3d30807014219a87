import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, hostRefusals, planHost, type Desired } from '../../coordinator/bootstrap/plan';
import { parseProbe, type HostProbe } from '../../coordinator/bootstrap/probe';

const desired: Desired = {
  name: 'hdss7-11',
  address: '10.4.7.11',
  port: 7443,
  release: {
    file: 'r.tgz',
    version: '0.2.0',
    sha256: 'a'.repeat(64),
    size: 35e6,
    protocolVersion: 2,
    minGlibc: '2.28',
    arch: 'x86_64',
    unitText: '',
    tmpfilesText: '',
  },
  configSha: 'c'.repeat(64),
  caSha: 'd'.repeat(64),
  unitText: '',
  unitSha: 'e'.repeat(64),
  caPem: '',
};

const bare = (): HostProbe =>
  parseProbe(
    'arch=x86_64\nglibc=2.36\nsystemd=yes\nfree_opt_kb=10000000\ncurrent=\nkey=no\nactive=inactive\nenabled=\nport_owner=\n',
  );

test('versions compare part by part', () => {
  assert.equal(compareVersions('2.17', '2.28'), -1);
  assert.equal(compareVersions('2.36', '2.28'), 1);
  assert.equal(compareVersions('2.28', '2.28.0'), 0);
});

test('a bare host that can run the agent: nothing refused, everything planned, a start at the end', () => {
  assert.deepEqual(hostRefusals(bare(), desired), []);
  const plan = planHost(bare(), desired);
  assert.deepEqual(plan.actions, [
    'upload-release',
    'ca',
    'key',
    'certificate',
    'config',
    'unit',
    'activate',
    'enable',
    'start',
  ]);
  assert.equal(plan.upgradeFrom, undefined);
});

test('CentOS 7 (glibc 2.17), another architecture, no systemd, no room, a taken port: each refused with why', () => {
  const p = { ...bare(), glibc: '2.17', arch: 'aarch64', systemd: false, freeOptBytes: 10e6 };
  p.portOwner = 'LISTEN 0 128 0.0.0.0:7443 0.0.0.0:* users:(("java",pid=81,fd=9))';
  const why = hostRefusals(p, desired).join('\n');
  assert.match(why, /glibc 2\.17 is older than 2\.28/);
  assert.match(why, /architecture is aarch64; the release is for x86_64/);
  assert.match(why, /systemd is not running as PID 1/);
  assert.match(why, /only 10 MB free under \/opt; the release needs 140 MB/);
  assert.match(why, /port 7443 is taken: .*java/);
  assert.deepEqual(hostRefusals({ ...bare(), portOwner: 'users:(("zkfleet-agent",pid=3,fd=20))' }, desired), []);
});

test('a kernel older than 3.10 or a systemd older than 219 is refused before anything changes, with why', () => {
  const centos6 = { ...bare(), kernel: '2.6.32-754.35.1.el6.x86_64', systemdVersion: 208 };
  const why = hostRefusals(centos6, desired).join('\n');
  assert.match(why, /Linux 2\.6\.32-754\.35\.1\.el6\.x86_64 is older than 3\.10/);
  assert.match(why, /systemd 208 is older than 219/);
  // A release that brings its own C runtime asks nothing of the host's: CentOS 7's glibc, even musl, is fine.
  const ownLibc = {
    ...desired,
    release: { ...desired.release, minGlibc: undefined, needs: { kernel: '3.10', systemd: 219 } },
  };
  assert.deepEqual(
    hostRefusals({ ...bare(), glibc: '2.17', kernel: '3.10.0-1160.el7.x86_64', systemdVersion: 219 }, ownLibc),
    [],
  );
  assert.deepEqual(hostRefusals({ ...bare(), glibc: '' }, ownLibc), []);
  const centos7 = { ...bare(), kernel: '3.10.0-1160.el7.x86_64', systemdVersion: 219 };
  assert.deepEqual(hostRefusals(centos7, desired), []);
  const probed = parseProbe('systemd=yes\nsystemd_version=219\nkernel=3.10.0-1160.el7.x86_64\n');
  assert.equal(probed.systemdVersion, 219);
  assert.equal(probed.kernel, '3.10.0-1160.el7.x86_64');
});

test('a host that matches: nothing to do (a second run changes nothing)', () => {
  const p: HostProbe = {
    ...bare(),
    current: '0.2.0',
    releases: { '0.2.0': desired.release.sha256 },
    configSha: desired.configSha,
    caSha: desired.caSha,
    unitSha: desired.unitSha,
    hasKey: true,
    active: 'active',
    enabled: 'enabled',
  };
  const noCert = planHost(p, desired);
  assert.deepEqual(noCert.actions, ['certificate', 'restart'], 'without a certificate it only needs one');
});

test('an older agent running: an upgrade from it, the config kept, a restart', () => {
  const p: HostProbe = {
    ...bare(),
    current: '0.1.9',
    releases: { '0.1.9': 'f'.repeat(64) },
    configSha: desired.configSha,
    caSha: desired.caSha,
    unitSha: desired.unitSha,
    hasKey: true,
    active: 'active',
    enabled: 'enabled',
  };
  const plan = planHost(p, desired);
  assert.equal(plan.upgradeFrom, '0.1.9');
  assert.deepEqual(plan.actions, ['upload-release', 'certificate', 'activate', 'restart']);
});

test('a probe is read line by line; installed releases with their digests', () => {
  const p = parseProbe(
    `arch=x86_64\nrelease=0.2.0 ${'a'.repeat(64)}\nrelease=0.1.9 ${'b'.repeat(64)}\ncert_b64=${Buffer.from('PEM').toString('base64')}\n`,
  );
  assert.deepEqual(Object.keys(p.releases), ['0.2.0', '0.1.9']);
  assert.equal(p.certPem, 'PEM');
});
