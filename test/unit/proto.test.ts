import * as protoLoader from '@grpc/proto-loader';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import descriptor from '../../shared/generated/proto-descriptor.json';
import { CONVERSION, zkfleetProto } from '../../shared/proto';
import { REPO } from '../helpers';

test('the descriptor and the static message code are what `npm run gen:proto` makes of proto/zkfleet.proto', () => {
  // Throws (exit 1) with the stale file's name when either differs.
  execFileSync(process.execPath, [path.join(REPO, 'scripts/gen-proto-json.js'), '--check'], { stdio: 'pipe' });
});

/** The reference: what @grpc/proto-loader builds at run time with the same options. */
function reflected() {
  const json = descriptor as Parameters<typeof protoLoader.fromJSON>[0];
  const def = protoLoader.fromJSON(json, CONVERSION);
  return {
    Agent: def['zkfleet.v1.Agent'] as protoLoader.ServiceDefinition,
    Coordinator: def['zkfleet.v1.Coordinator'] as protoLoader.ServiceDefinition,
  };
}

test('every method is defined as @grpc/proto-loader defines it: path, streaming, name', () => {
  const ours = zkfleetProto().zkfleet.v1;
  const ref = reflected();
  for (const svc of ['Agent', 'Coordinator'] as const) {
    const mine = ours[svc].service as unknown as protoLoader.ServiceDefinition;
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(ref[svc]).sort());
    for (const [name, m] of Object.entries(ref[svc])) {
      const { path: p, requestStream, responseStream, originalName } = mine[name];
      assert.deepEqual(
        { p, requestStream, responseStream, originalName },
        {
          p: m.path,
          requestStream: m.requestStream,
          responseStream: m.responseStream,
          originalName: m.originalName,
        },
      );
    }
  }
});

test('messages cross over both ways with the same objects (enums as names, defaults, oneofs)', () => {
  const agent = zkfleetProto().zkfleet.v1.Agent.service as unknown as protoLoader.ServiceDefinition;
  const ref = reflected().Agent;
  const samples: Array<[string, 'request' | 'response', object]> = [
    ['Facts', 'response', { name: 'h', disks: [{ path: '/data', freeBytes: 5e9 }], memoryTotalBytes: 2 ** 34 }],
    ['ZooKeeperStatus', 'response', { mode: 'leader', zxid: '0x100000002', pid: 42, latencyAvg: 0.5 }],
    ['ZooKeeperService', 'request', { action: 'RESTART', dryRun: true, activate: true }],
    ['Exec', 'response', { stdout: Buffer.from('out') }],
    ['Exec', 'response', { exit: { code: 3, signal: '' } }],
    ['UploadArtifact', 'request', { sha256: 'ab', size: 10, name: 'jdk', unpackInto: '/opt' }],
    ['UploadArtifact', 'request', { data: Buffer.alloc(70_000, 7) }],
    ['Lease', 'request', { op: 'ACQUIRE', holder: { id: 'x', pid: 1 }, ttlMs: 60_000 }],
  ];
  for (const [method, side, message] of samples) {
    const [ser, de] =
      side === 'request' ? ['requestSerialize', 'requestDeserialize'] : ['responseSerialize', 'responseDeserialize'];
    const mine = agent[method] as unknown as Record<string, (x: unknown) => unknown>;
    const theirs = ref[method] as unknown as Record<string, (x: unknown) => unknown>;
    const ourBytes = mine[ser](message) as Buffer;
    const theirBytes = theirs[ser](message) as Buffer;
    assert.ok(Buffer.isBuffer(ourBytes), `${method} ${side}: a Buffer`);
    // Either side may write a field set to its default or leave it out; what the other reads must agree.
    const expected = theirs[de](theirBytes);
    assert.deepEqual(theirs[de](ourBytes), expected, `${method} ${side}: ours read by proto-loader`);
    assert.deepEqual(mine[de](theirBytes), expected, `${method} ${side}: proto-loader's read by ours`);
    assert.deepEqual(mine[de](ourBytes), expected, `${method} ${side}: ours read by ours`);
  }
});
