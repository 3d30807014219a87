import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { LineProgress, TtyProgress } from '../../coordinator/output/progress';

function sink(): { out: Writable & { columns?: number }; text: () => string } {
  let text = '';
  const out = new Writable({
    write: (c: Buffer, _e, cb) => {
      text += c.toString();
      cb();
    },
  });
  return { out, text: () => text };
}

const FAILED_START =
  'ZooKeeper did not stay up (exit 1); log tail:\nERROR Unexpected exception\njava.net.BindException\n';

test('a failed step is shown whole: the log tail under its first line, each line marked as the step', () => {
  const s = sink();
  new LineProgress(s.out).fail('hdss7-21', 'start', FAILED_START, 1300);
  const lines = s.text().trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /hdss7-21 +start FAILED \(1\.3s\): ZooKeeper did not stay up \(exit 1\); log tail:$/);
  assert.match(lines[1], /hdss7-21 +start \| ERROR Unexpected exception$/);
  assert.match(lines[2], /hdss7-21 +start \| java\.net\.BindException$/);
});

test('on a terminal the failed row shows the first line; the whole message follows the view at the end', () => {
  const s = sink();
  s.out.columns = 100;
  const p = new TtyProgress(s.out as unknown as NodeJS.WriteStream);
  p.start('hdss7-21', 'start');
  p.fail('hdss7-21', 'start', FAILED_START);
  p.close();
  const text = s.text();
  assert.match(text, /hdss7-21 start: ZooKeeper did not stay up \(exit 1\); log tail:\nERROR Unexpected exception\n/);
  assert.ok(text.trimEnd().endsWith('java.net.BindException'), text);
});
