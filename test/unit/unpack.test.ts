import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { extractToTemp, unsafeEntry } from '../../agent/artifacts/unpack';
import { sh } from '../sandbox/sh';
import { tmpDir } from '../helpers';

test('entry checks: absolute, .., and links out of the archive are refused', () => {
  assert.match(unsafeEntry('/etc/passwd', 'File', undefined) ?? '', /absolute/);
  assert.match(unsafeEntry('jdk/../../etc/cron.d/x', 'File', undefined) ?? '', /contains \.\./);
  assert.match(unsafeEntry('jdk/lib/evil', 'SymbolicLink', '../../../etc') ?? '', /outside/);
  assert.match(unsafeEntry('jdk/lib/evil', 'SymbolicLink', '/etc/shadow') ?? '', /absolute/);
  assert.match(unsafeEntry('jdk/x', 'Link', '../outside') ?? '', /outside/);
  assert.equal(unsafeEntry('jdk/bin/java', 'SymbolicLink', '../lib/java'), undefined);
});

test('real tarballs: a ../ entry and an escaping symlink are refused and leave nothing behind', async (t) => {
  const dir = tmpDir(t);
  const src = path.join(dir, 'src');
  mkdirSync(path.join(src, 'jdk-x', 'bin'), { recursive: true });
  writeFileSync(path.join(src, 'jdk-x', 'bin', 'java'), '#!/bin/sh\n');
  writeFileSync(path.join(src, 'evil'), 'outside\n');
  const target = path.join(dir, 'usr-java');
  mkdirSync(target);

  const dotdot = path.join(dir, 'dotdot.tar.gz');
  await sh('tar', ['-C', src, '-czf', dotdot, '--transform', 's,^evil,jdk-x/../../evil,', 'jdk-x', 'evil']);
  await assert.rejects(
    extractToTemp(dotdot, target),
    (e: { code: string; message: string }) => e.code === 'UNSAFE_ARCHIVE' && /contains \.\./.test(e.message),
  );
  assert.deepEqual(readdirSync(target), []);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n === 'evil'),
    [],
  );

  symlinkSync('../../../../etc', path.join(src, 'jdk-x', 'etc-link'));
  const link = path.join(dir, 'link.tar.gz');
  await sh('tar', ['-C', src, '-czf', link, 'jdk-x']);
  await assert.rejects(
    extractToTemp(link, target),
    (e: { code: string; message: string }) =>
      e.code === 'UNSAFE_ARCHIVE' && /symlink "jdk-x\/etc-link"/.test(e.message),
  );
  assert.deepEqual(readdirSync(target), []);

  await sh('rm', [path.join(src, 'jdk-x', 'etc-link')]);
  symlinkSync('bin/java', path.join(src, 'jdk-x', 'java-link'));
  const ok = path.join(dir, 'ok.tar.gz');
  await sh('tar', ['-C', src, '-czf', ok, 'jdk-x']);
  const r = await extractToTemp(ok, target);
  assert.equal(r.top, 'jdk-x');
  assert.ok(readdirSync(path.join(r.tmp, 'jdk-x', 'bin')).includes('java'));
});

test('gzip is inflated by Node in front of tar; plain, xz and bzip2 archives are tar`s own', async (t) => {
  const dir = tmpDir(t);
  const src = path.join(dir, 'src');
  mkdirSync(path.join(src, 'zk-x', 'bin'), { recursive: true });
  writeFileSync(path.join(src, 'zk-x', 'bin', 'zkServer.sh'), '#!/bin/sh\n'.repeat(5000));
  for (const [ext, flag] of [
    ['tar.gz', '-z'],
    ['tar', ''],
    ['tar.xz', '-J'],
    ['tar.bz2', '-j'],
  ]) {
    const file = path.join(dir, `zk.${ext}`);
    await sh('tar', ['-C', src, `-c${flag.slice(1)}f`, file, 'zk-x']);
    const target = path.join(dir, `to-${ext}`);
    const r = await extractToTemp(file, target);
    assert.equal(r.top, 'zk-x', ext);
    assert.equal(
      readFileSync(path.join(r.tmp, 'zk-x/bin/zkServer.sh'), 'utf8'),
      '#!/bin/sh\n'.repeat(5000),
      `${ext}: the file whole`,
    );
  }
});

test('a corrupt or cut gzip is refused with zlib`s reason and leaves nothing', async (t) => {
  const dir = tmpDir(t);
  const src = path.join(dir, 'src');
  mkdirSync(path.join(src, 'zk-x'), { recursive: true });
  writeFileSync(path.join(src, 'zk-x', 'data'), randomBytes(256 << 10));
  const good = path.join(dir, 'zk.tar.gz');
  await sh('tar', ['-C', src, '-czf', good, 'zk-x']);
  const bytes = readFileSync(good);
  const flipped = Buffer.from(bytes);
  flipped[bytes.length >> 1] ^= 0xff;
  for (const [name, content, reason] of [
    ['flipped', flipped, /invalid|incorrect|check/],
    ['cut', bytes.subarray(0, bytes.length >> 1), /unexpected end of file/],
  ] as const) {
    const file = path.join(dir, `${name}.tar.gz`);
    writeFileSync(file, content);
    const target = path.join(dir, `to-${name}`);
    await assert.rejects(
      extractToTemp(file, target),
      (e: { code: string; message: string }) => e.code === 'UNSAFE_ARCHIVE' && reason.test(e.message),
      name,
    );
    assert.deepEqual(existsSync(target) ? readdirSync(target) : [], [], `${name}: nothing left`);
  }
});
