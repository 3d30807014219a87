import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run, runFailure } from '../../agent/run';

const failure = (cmd: string, args: string[]) =>
  run(cmd, args).then(
    () => assert.fail(`${cmd} should fail`),
    (err: unknown) => runFailure(`${cmd} ${args.join(' ')}`.trim(), err),
  );

test('a failed command is told one way: what ran, how it ended, what it said', async () => {
  assert.equal(
    await failure('sh', ['-c', 'echo "cannot lock /etc/passwd; try again later." >&2; exit 1']),
    'sh -c echo "cannot lock /etc/passwd; try again later." >&2; exit 1 failed (exit 1): cannot lock /etc/passwd; try again later.',
  );
  assert.equal(
    await failure('sh', ['-c', 'kill -TERM $$']),
    'sh -c kill -TERM $$ failed (killed by SIGTERM, nothing on stderr)',
  );
  assert.equal(
    await failure('/nonexistent/useradd', []),
    '/nonexistent/useradd could not be run: spawn /nonexistent/useradd ENOENT',
  );
});
