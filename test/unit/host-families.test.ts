import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { javaProfile } from '../../agent/artifacts/install';
import { run } from '../../agent/daemon/run';
import { dnsTools } from '../../agent/dns/layout';
import { useraddCommand } from '../../agent/zookeeper/user';
import { tmpDir } from '../helpers';

// What a host shows, made up: a RHEL-family DNS host (BIND from the bind package, SELinux on) and Debian's.
const rhel = new Set(['/usr/sbin/named-checkzone', '/usr/sbin/restorecon', '/sbin/nologin', '/usr/sbin/nologin']);
const debian = new Set(['/usr/bin/named-checkzone', '/usr/sbin/nologin']);
const view = (files: Set<string>, selinuxEnforce?: string) => ({ exists: (p: string) => files.has(p), selinuxEnforce });

test("a RHEL-style DNS host: its named-checkzone in /usr/sbin, the zone's SELinux context restored", () => {
  assert.deepEqual(dnsTools('named-checkzone', view(rhel, '1')), {
    checkzone: '/usr/sbin/named-checkzone',
    restorecon: '/usr/sbin/restorecon',
  });
  // Permissive still labels: a host switched to enforcing later must find its zone readable by named.
  assert.equal(dnsTools('named-checkzone', view(rhel, '0')).restorecon, '/usr/sbin/restorecon');
  assert.equal(dnsTools('named-checkzone', view(rhel)).restorecon, undefined, 'SELinux off: nothing to restore');
});

test('a Debian-style DNS host: its named-checkzone in /usr/bin, no SELinux; a configured path wins', () => {
  assert.deepEqual(dnsTools('named-checkzone', view(debian)), { checkzone: '/usr/bin/named-checkzone' });
  assert.deepEqual(dnsTools('/opt/bind/bin/named-checkzone', view(debian)), {
    checkzone: '/opt/bind/bin/named-checkzone',
  });
  assert.deepEqual(dnsTools('named-checkzone', view(new Set())), { checkzone: 'named-checkzone' }, 'else from PATH');
});

test("the server account: flags both families take; under systemd outside the unit's read-only /etc", () => {
  assert.deepEqual(
    useraddCommand('zookeeper', '/data/zookeeper/data', { nologin: '/sbin/nologin', underSystemd: true }),
    [
      'nsenter',
      [
        '--target',
        '1',
        '--mount',
        '--',
        'useradd',
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/data/zookeeper/data',
        '--shell',
        '/sbin/nologin',
        'zookeeper',
      ],
    ],
  );
  assert.deepEqual(
    useraddCommand('zookeeper', '/data/zk', { nologin: '/usr/sbin/nologin', root: '/srv/host', underSystemd: false }),
    [
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/data/zk',
        '--shell',
        '/usr/sbin/nologin',
        '--root',
        '/srv/host',
        'zookeeper',
      ],
    ],
  );
});

test("the JDK profile script sets JAVA_HOME and PATH in dash (Debian's sh) and bash (RHEL's sh) alike", async (t) => {
  const file = path.join(tmpDir(t), 'zkfleet-java.sh');
  await fs.writeFile(file, javaProfile('/usr/java/jdk'));
  for (const shell of ['/bin/sh', '/bin/bash', '/bin/dash']) {
    const r = await run(shell, ['-c', '. "$0" && printf "%s|%s" "$JAVA_HOME" "$PATH"', file], {
      env: { PATH: '/usr/bin:/bin' },
    });
    const [javaHome, pathVar] = r.stdout.split('|');
    assert.equal(javaHome, '/usr/java/jdk', shell);
    assert.ok(pathVar.startsWith('/usr/java/jdk/bin:') && pathVar.endsWith(':/usr/bin:/bin'), `${shell}: ${pathVar}`);
  }
});
