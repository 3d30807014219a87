import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ZooKeeperState } from '../../agent/state';
import { AgentRunner, pidAlive } from '../../agent/zk-process';
import { renderLogConfig } from '../../agent/zk-logging';
import { backoffMs } from '../../agent/zk-supervisor';
import { defaultHeapMB } from '../../shared/defaults';

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
