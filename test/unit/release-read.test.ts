import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readRelease } from '../../coordinator/bootstrap/release';
import { tmpDir } from '../helpers';
import { sh } from '../sandbox/sh';

const NAME = 'zkfleet-agent-9.9.9-linux-x64';
const MANIFEST = { version: '9.9.9', protocolVersion: 1, minGlibc: '2.28', arch: 'x86_64' };

/** A release-shaped tarball with `files` (relative to its top directory), in the order given. */
async function release(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, NAME, name)), { recursive: true });
    writeFileSync(path.join(dir, NAME, name), text);
  }
  const file = path.join(dir, `${NAME}.tar.gz`);
  const entries = Object.keys(files).map((n) => `${NAME}/${n}`);
  await sh('tar', ['-C', dir, '--no-recursion', '-czf', file, NAME, ...entries]);
  return file;
}

test('a release: manifest and units read from the archive, wherever they sit in it', async (t) => {
  const dir = tmpDir(t);
  const file = await release(dir, {
    'bin/zkfleet-agent': 'x'.repeat(1 << 20),
    'MANIFEST.json': JSON.stringify(MANIFEST),
    'systemd/zkfleet-agent.service': '[Unit]\n',
    'systemd/zkfleet-agent.tmpfiles': 'd /run/zkfleet 0750 root root -\n',
  });
  const r = await readRelease(file);
  assert.equal(r.version, '9.9.9');
  assert.equal(r.unitText, '[Unit]\n');
  assert.equal(r.tmpfilesText, 'd /run/zkfleet 0750 root root -\n');
});

test('a tarball without the units is not a release, and the error names what is missing', async (t) => {
  const dir = tmpDir(t);
  const file = await release(dir, { 'MANIFEST.json': JSON.stringify(MANIFEST), 'bin/zkfleet-agent': 'x' });
  await assert.rejects(
    readRelease(file),
    (e: { code: string; message: string }) =>
      e.code === 'INVALID_ARGUMENT' &&
      /is not a zkfleet agent release \(no zkfleet-agent-9\.9\.9-linux-x64\/systemd\/zkfleet-agent\.service/.test(
        e.message,
      ),
  );
});
