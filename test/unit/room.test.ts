import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { roomOrGone } from '../../shared/room';

test('a wait for room leaves no listener behind, whichever event ends it', async () => {
  const call = new EventEmitter();
  for (let i = 0; i < 20; i++) {
    const waiting = roomOrGone(call, 'cancelled');
    call.emit('drain');
    await waiting;
  }
  const gone = roomOrGone(call, 'cancelled');
  call.emit('cancelled');
  await gone;
  assert.equal(call.listenerCount('drain'), 0);
  assert.equal(call.listenerCount('cancelled'), 0);
});
