import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run, runFailure } from '../../agent/daemon/run';

/** What runFailure says of `cmd args` run with these options (it must fail). */
const failure = (cmd: string, args: string[], opts: { timeout?: number; signal?: AbortSignal } = {}) =>
  run(cmd, args, opts).then(
    () => assert.fail(`${cmd} should fail`),
    (err: unknown) => runFailure(`${cmd} ${args.join(' ')}`.trim(), err),
  );

test('a failed command is told one way: what ran, how it ended, what it said', async () => {
  assert.equal(
    await failure('sh', ['-c', 'echo "cannot lock /etc/passwd; try again later." >&2; exit 1']),
    'sh -c echo "cannot lock /etc/passwd; try again later." >&2; exit 1 failed (exit 1): ' +
      'cannot lock /etc/passwd; try again later.',
  );
  assert.equal(
    await failure('sh', ['-c', 'kill -TERM $$']),
    'sh -c kill -TERM $$ failed (killed by SIGTERM, nothing on stderr)',
  );
  assert.equal(
    await failure('sleep', ['5'], { timeout: 100 }),
    'sleep 5 failed (killed by SIGTERM after its time limit, nothing on stderr)',
  );
  assert.equal(await failure('sleep', ['5'], { signal: AbortSignal.timeout(50) }), 'sleep 5 was cancelled');
  assert.equal(
    await failure('/nonexistent/useradd', []),
    '/nonexistent/useradd could not be run: spawn /nonexistent/useradd ENOENT',
  );
});
