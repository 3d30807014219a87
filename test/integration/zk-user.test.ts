import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { AgentConfig } from '../../agent/daemon/config';
import { Host } from '../../agent/daemon/host';
import { ensureUser, lookupUser } from '../../agent/zookeeper/user';
import { createLogger } from '../../shared/logger';

/** A host root with a copy of this machine's account files, and what its agent logs. */
async function hostWithAccounts(t: { after(fn: () => Promise<void>): void }) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'zkf-user-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  await fs.mkdir(path.join(root, 'etc'));
  for (const f of ['passwd', 'group', 'shadow', 'gshadow']) await fs.copyFile(`/etc/${f}`, path.join(root, 'etc', f));
  const lines: string[] = [];
  const stream = new PassThrough().on('data', (c) => lines.push(String(c)));
  const host = new Host({ root } as AgentConfig, createLogger({ stream }));
  // shadow's lock: a file beside the one it guards, naming a live process (this one).
  const lock = path.join(root, 'etc/passwd.lock');
  return { host, lines, lock, holdLock: () => fs.writeFile(lock, String(process.pid)) };
}

test('useradd that finds the passwd file locked is tried once more; the account is made', async (t) => {
  const { host, lines, lock, holdLock } = await hostWithAccounts(t);
  await holdLock();
  setTimeout(() => void fs.rm(lock, { force: true }), 300);
  const r = await ensureUser(host, 'zkuser', '/data/zookeeper/data', false);
  assert.equal(r.made, true);
  assert.deepEqual(await lookupUser(host, 'zkuser'), r.account);
  assert.match(
    lines.join(''),
    /"error":"useradd failed \(exit 1\): .*cannot lock \/etc\/passwd.*"useradd failed; trying once more"/,
  );
});

test('a lock that stays: refused with useradd exit status and its words; no account', async (t) => {
  const { host, holdLock } = await hostWithAccounts(t);
  await holdLock();
  await assert.rejects(ensureUser(host, 'zkuser', '/data/zookeeper/data', false), (err: Error) => {
    assert.match(
      err.message,
      /^cannot create the user zkuser: useradd failed \(exit 1\): .*cannot lock \/etc\/passwd/s,
    );
    return true;
  });
  assert.equal(await lookupUser(host, 'zkuser'), undefined);
});
