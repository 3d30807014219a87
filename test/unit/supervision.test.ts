import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZooKeeperState } from '../../agent/daemon/state';
import { AgentRunner, isServerPid, pidAlive } from '../../agent/zookeeper/process';
import { renderLogConfig } from '../../agent/zookeeper/logging';
import { backoffMs } from '../../agent/zookeeper/supervisor';
import { defaultHeapMB } from '../../shared/defaults';
import { tcpOpen } from '../../shared/tcp';

test('a crash loop backs off 1 s doubling to 60 s; a first crash is restarted at once', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7, 10].map(backoffMs),
    [0, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000],
  );
});

test('the default heap: a quarter of the host, at least 256 MB, at most 2 GB', () => {
  const GiB = 2 ** 30;
  assert.equal(defaultHeapMB(0.5 * GiB), 256);
  assert.equal(defaultHeapMB(4 * GiB), 1024);
  assert.equal(defaultHeapMB(64 * GiB), 2048);
});

test('the rotated log for log4j (3.4) and logback (3.8+): one file, size and count from the ensemble file', () => {
  const s = { dir: '/var/log/zookeeper', maxSizeKB: 51, keep: 3, level: 'DEBUG' };
  const log4j = renderLogConfig('log4j', s);
  assert.match(log4j, /^log4j\.rootLogger=DEBUG, ROLLINGFILE$/m);
  assert.match(log4j, /^log4j\.appender\.ROLLINGFILE\.File=\/var\/log\/zookeeper\/zookeeper\.log$/m);
  assert.match(log4j, /^log4j\.appender\.ROLLINGFILE\.MaxFileSize=51KB$/m);
  assert.match(log4j, /^log4j\.appender\.ROLLINGFILE\.MaxBackupIndex=2$/m);
  const logback = renderLogConfig('logback', s);
  assert.match(logback, /<file>\/var\/log\/zookeeper\/zookeeper\.log<\/file>/);
  assert.match(logback, /<maxIndex>2<\/maxIndex>/);
  assert.match(logback, /<maxFileSize>51KB<\/maxFileSize>/);
  assert.match(logback, /<root level="DEBUG">/);
  assert.doesNotMatch(logback + log4j, /CONSOLE/, 'nothing goes to an unbounded console');
});

test('a child killed -9 is known as killed even when it is seen gone before Node reaps it', async (t) => {
  // The runner's own bookkeeping, with a stand-in for zkServer.sh; the e2e test kills a real server.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zkf-runner-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(dir, 'bin'));
  await fs.writeFile(path.join(dir, 'bin/zkServer.sh'), '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 });
  const zk = { home: dir, dataDir: dir, logDir: dir, jdkHome: dir, cfgFile: path.join(dir, 'zoo.cfg') };
  const runner = new AgentRunner();
  const pid = await runner.start({ ...zk, uid: process.getuid!(), gid: process.getgid!() } as ZooKeeperState);
  process.kill(pid, 'SIGKILL');
  // Spin without yielding: the child is a zombie, so it reads as gone, and its exit event cannot have run yet.
  while (pidAlive(pid));
  assert.equal(await runner.exitOf(pid), 'killed by SIGKILL');
  assert.equal(await runner.exitOf(pid + 1_000_000), undefined, 'a pid it did not start');
});

test('a process whose main thread is a zombie while another thread still listens is alive until it is all gone', async (t) => {
  // A JVM's main thread can exit before its other threads while they still hold its client port. Python's
  // main thread ends itself (pthread_exit) and leaves one thread sleeping, with the listening socket open.
  const script = [
    'import socket, threading, time, ctypes',
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()",
    'print(s.getsockname()[1], flush=True)',
    'threading.Thread(target=time.sleep, args=(60,)).start()',
    'ctypes.CDLL(None).pthread_exit(None)',
  ].join('\n');
  const child = spawn('/usr/bin/python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(String(line).trim());
  while (!(await fs.readFile(`/proc/${child.pid}/stat`, 'utf8')).match(/\) Z /)) await sleep(10);
  assert.ok(await tcpOpen('127.0.0.1', port, 1000), 'the port is still served');
  assert.equal(pidAlive(child.pid!), true, 'a zombie main thread with a live thread is not gone');
  assert.equal(await isServerPid(child.pid!), true, 'a server in the pid file that is leaving still counts');
  child.kill('SIGKILL');
  while (pidAlive(child.pid!)) await sleep(1);
  assert.equal(await tcpOpen('127.0.0.1', port, 1000), false, 'once it reads as gone, its port is free');
});
