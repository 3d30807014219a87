import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextSerial, serialGreater } from '../../shared/dns/serial';
import { upsertARecords, zoneSerial } from '../../shared/dns/zone-file';

const ZONE = `$ORIGIN zq.com.
$TTL 600    ; 10 minutes
@       IN SOA  dns.zq.com. dnsadmin.zq.com. (
                2020010501 ; serial
                10800      ; refresh (3 hours)
                900 604800 86400 )
            NS   dns.zq.com.
dns                A    10.4.7.11
; a comment that must survive
harbor             A    10.4.7.200
zk2                A    10.4.7.99
`;
const today = new Date('2026-11-25T12:00:00Z');

test('upsert adds and corrects A records, rolls the serial, keeps every other byte', () => {
  const r = upsertARecords(
    ZONE,
    'zq.com',
    [
      { name: 'zk1', address: '10.4.7.11' },
      { name: 'zk2', address: '10.4.7.12' },
    ],
    today,
  );
  assert.equal(r.changed, true);
  assert.equal(r.newSerial, 2026112501);
  assert.equal(zoneSerial(r.text, 'zq.com'), 2026112501);
  const expected =
    ZONE.replace('2020010501', '2026112501').replace(
      'zk2                A    10.4.7.99',
      'zk2                A    10.4.7.12',
    ) + 'zk1        A    10.4.7.11\n';
  assert.equal(r.text, expected);
});

test('no change: same text, same serial', () => {
  const once = upsertARecords(ZONE, 'zq.com', [{ name: 'zk1', address: '10.4.7.11' }], today);
  const twice = upsertARecords(once.text, 'zq.com', [{ name: 'zk1.zq.com.', address: '10.4.7.11' }], today);
  assert.equal(twice.changed, false);
  assert.equal(twice.text, once.text);
  assert.equal(twice.newSerial, once.newSerial);
});

test('a serial ahead of today still grows; a second change the same day adds one', () => {
  const ahead = ZONE.replace('2020010501', '2099123199');
  const r = upsertARecords(ahead, 'zq.com', [{ name: 'zk1', address: '10.4.7.11' }], today);
  assert.equal(r.newSerial, 2099123200);
  const r2 = upsertARecords(
    r.text.replace('2099123200', '2026112501'),
    'zq.com',
    [{ name: 'zk1', address: '10.4.7.12' }],
    today,
  );
  assert.equal(r2.newSerial, 2026112502);
});

test('RFC 1982 serial arithmetic wraps around 2^32', () => {
  // From the top of the space the next dated serial is "greater" in serial arithmetic (it wraps).
  assert.equal(nextSerial(4294967295, today), 2026112501);
  assert.ok(serialGreater(nextSerial(4294967295, today), 4294967295));
  // Far ahead (but within half the space): plain +1, never a step backwards.
  assert.equal(nextSerial(3000000000, today), 3000000001);
  assert.ok(serialGreater(0, 4294967295));
  assert.ok(serialGreater(5, 4294967290));
  assert.ok(!serialGreater(4294967290, 5));
  assert.ok(serialGreater(2026112501, 2020010501));
});

test('duplicate A records of a name collapse to the wanted one; owner inheritance is respected', () => {
  const z = ZONE + 'zk3 A 10.0.0.1\n    A 10.0.0.2\nzk4 A 10.0.0.3\nzk4 A 10.0.0.4\n';
  const r = upsertARecords(
    z,
    'zq.com',
    [
      { name: 'zk3', address: '10.4.7.21' },
      { name: 'zk4', address: '10.4.7.22' },
    ],
    today,
  );
  assert.match(r.text, /zk3 A 10\.4\.7\.21\n/);
  assert.doesNotMatch(r.text, /10\.0\.0\.2/);
  assert.match(r.text, /zk4 A 10\.4\.7\.22\n/);
  assert.doesNotMatch(r.text, /10\.0\.0\.4/);
});

test('a zone whose last $ORIGIN is another domain gets absolute names appended', () => {
  const z = ZONE + '$ORIGIN sub.zq.com.\nwww A 10.1.1.1\n';
  const r = upsertARecords(z, 'zq.com', [{ name: 'zk1', address: '10.4.7.11' }], today);
  assert.match(r.text, /zk1\.zq\.com\.\s+A\s+10\.4\.7\.11\n$/);
});

test('a zone without an SOA is refused', () => {
  assert.throws(() => upsertARecords('www A 1.2.3.4\n', 'zq.com', [{ name: 'zk1', address: '10.4.7.11' }], today), {
    code: 'ZONE_INVALID',
  });
});

test('a removed server loses its A record and the serial rolls; every other byte stays; again, nothing changes', () => {
  const r = upsertARecords(ZONE, 'zq.com', [{ name: 'harbor', address: '10.4.7.200' }], today, ['zk2']);
  assert.equal(r.changed, true);
  assert.deepEqual(r.changes, ['zk2.zq.com. A 10.4.7.99 removed', 'serial 2020010501→2026112501']);
  assert.equal(r.text, ZONE.replace('2020010501', '2026112501').replace('zk2                A    10.4.7.99\n', ''));
  const again = upsertARecords(r.text, 'zq.com', [], today, ['zk2']);
  assert.equal(again.changed, false);
  assert.equal(again.text, r.text);
});

test('a removed A record whose owner the next line inherits hands the owner on', () => {
  const zone = ZONE.replace(
    'zk2                A    10.4.7.99\n',
    'zk2                A    10.4.7.99\n      TXT  "keep"\n',
  );
  const r = upsertARecords(zone, 'zq.com', [], today, ['zk2']);
  assert.ok(r.text.endsWith('\nzk2      TXT  "keep"\n'), r.text);
  assert.doesNotMatch(r.text, /10\.4\.7\.99/);
});
