import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostReadiness } from '../../coordinator/deploy/connect';
import type { HostSpec } from '../../coordinator/ensemble/file';
import type { Facts__Output } from '../../shared/generated/wire';
import { PROTOCOL_VERSION } from '../../shared/version';

const host: HostSpec = {
  name: 'hdss7-11',
  address: '10.4.7.11',
  agent: '10.4.7.11:7443',
  roles: ['zookeeper', 'dns'],
  observer: false,
};
const facts = (o: Partial<Facts__Output> = {}) =>
  ({
    name: 'hdss7-11',
    protocolVersion: PROTOCOL_VERSION,
    agentVersion: '0.2.0',
    capabilities: ['zookeeper', 'dns', 'exec'],
    disks: [{ path: '/data/zookeeper/data', mount: '/', totalBytes: 100e9, freeBytes: 50e9 }],
    memoryTotalBytes: 8 * 2 ** 30,
    ...o,
  }) as Facts__Output;

test('a host whose agent answers, speaks our protocol, has room and the capabilities of its roles is ready', () => {
  assert.equal(hostReadiness(host, facts(), { minFreeMB: 256 }), undefined);
});

test('an agent of a protocol this coordinator does not speak is refused, naming its version', () => {
  const e = hostReadiness(host, facts({ protocolVersion: 0, agentVersion: '0.1.0' }), { minFreeMB: 256 });
  assert.equal(e?.code, 'VERSION_MISMATCH');
  assert.match(
    e!.message,
    /agent 0\.1\.0 speaks protocol 0; this coordinator \(.*\) speaks 3, 4: upgrade it with `coordinator bootstrap`/,
  );
});

test('another host answering at the address, a full disk, a missing capability: each refused with why', () => {
  assert.equal(hostReadiness(host, facts({ name: 'hdss7-12' }), { minFreeMB: 256 })?.code, 'PERMISSION_DENIED');
  const full = hostReadiness(
    host,
    facts({ disks: [{ path: '/data/zookeeper/data', mount: '/data', totalBytes: 1e9, freeBytes: 1e8 }] }),
    { minFreeMB: 256 },
  );
  assert.equal(full?.code, 'DISK_FULL');
  assert.match(full!.message, /disk full under \/data\/zookeeper\/data \(\/data\): 100 MB free, a deploy needs 256 MB/);
  const caps = hostReadiness(host, facts({ capabilities: ['zookeeper'] }), { minFreeMB: 256 });
  assert.match(caps!.message, /role dns needs capability dns/);
});

test('a heap larger than the host memory is refused before anything is touched', () => {
  const e = hostReadiness(host, facts(), { minFreeMB: 256, heapMB: 16_384 });
  assert.equal(e?.code, 'INVALID_ARGUMENT');
  assert.match(e!.message, /zookeeper\.heapMB 16384 is more than the host's memory \(8192 MB\)/);
  assert.equal(hostReadiness(host, facts(), { minFreeMB: 256, heapMB: 1024 }), undefined);
});
