import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { run } from '../../agent/daemon/run';

/**
 * The npm ZooKeeper client (its addon mended at install by scripts/patch-zookeeper.js) must not take other
 * sockets of the process down with a connection attempt that times out: unmended, 4–7 of the 1,500 sockets
 * went deaf in every run here.
 */
test('a ZooKeeper client timing out does not deafen the other sockets of its process', async () => {
  const child = path.join(__dirname, 'zk-fd-reuse-child.js');
  const { stdout, stderr } = await run(process.execPath, [child], { timeout: 30_000 });
  // The C client says each timed-out attempt on stderr; the addon's own lines and the result share stdout.
  const timeouts = stderr.split('\n').filter((l) => /zk retcode=-7/.test(l)).length;
  assert.ok(timeouts >= 5, `the client timed out ${timeouts} times: the path under test was not taken`);
  const r = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}') as {
    sockets: number;
    deaf: number[];
  };
  assert.ok(r.sockets >= 1000, `only ${r.sockets} sockets were opened`);
  assert.deepEqual(r.deaf, [], `sockets that no longer hear their peer (by fd): ${r.deaf.join(', ')}`);
});
