import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mntrField, mntrSeries } from '../../agent/health/zookeeper-metrics';
import { labelSet, labelValue } from '../../shared/prometheus-text';

test('a label value with a quote, a backslash and a newline (a disk path) comes out escaped', () => {
  assert.equal(labelValue('/data/"zk"\\x\nnext'), '/data/\\"zk\\"\\\\x\\nnext');
  assert.equal(labelSet({ host: 'hdss7-11', path: 'a"b' }), '{host="hdss7-11",path="a\\"b"}');
  assert.equal(labelSet({}), '');
});

// mntr as 3.4.13 answers it (a leader), and a part of what 3.8.0 adds.
const MNTR_34 = [
  'zk_version\t3.4.13-2d71af4dbe22557fda74f9a9b4309b15a7487f03, built on 06/29/2018 04:05 GMT',
  'zk_avg_latency\t0',
  'zk_max_latency\t12',
  'zk_min_latency\t0',
  'zk_packets_received\t1543',
  'zk_packets_sent\t1542',
  'zk_num_alive_connections\t2',
  'zk_outstanding_requests\t0',
  'zk_server_state\tleader',
  'zk_znode_count\t1011',
  'zk_watch_count\t3',
  'zk_ephemerals_count\t1',
  'zk_approximate_data_size\t27469',
  'zk_open_file_descriptor_count\t41',
  'zk_max_file_descriptor_count\t65536',
  'zk_followers\t2',
  'zk_synced_followers\t2',
  'zk_pending_syncs\t0',
].join('\n');

test("ZooKeeper's mntr figures become zookeeper_* series, 3.4 included, with the host and myid", () => {
  const lines = mntrSeries(MNTR_34, { host: 'hdss7-21', myid: 3 }).split('\n');
  const series = lines.filter((l) => !l.startsWith('#'));
  for (const name of [
    'znode_count',
    'watch_count',
    'ephemerals_count',
    'avg_latency',
    'max_latency',
    'min_latency',
    'outstanding_requests',
    'packets_received',
    'packets_sent',
    'open_file_descriptor_count',
    'max_file_descriptor_count',
    'followers',
    'synced_followers',
    'pending_syncs',
    'approximate_data_size',
  ]) {
    assert.ok(
      series.some((l) => l.startsWith(`zookeeper_${name}{host="hdss7-21",myid="3"} `)),
      name,
    );
  }
  assert.ok(series.includes('zookeeper_znode_count{host="hdss7-21",myid="3"} 1011'));
  assert.ok(series.includes('zookeeper_server_state{host="hdss7-21",myid="3",state="leader"} 1'));
  assert.ok(!lines.some((l) => l.includes('version')), 'the version is text: not a series');
  assert.equal(mntrField(MNTR_34, 'zk_server_state'), 'leader');
  assert.equal(mntrField(MNTR_34, 'zk_version')?.split(/[-,]/)[0], '3.4.13');
  assert.equal(mntrField(MNTR_34, 'zk_server'), undefined, 'a key is matched whole');
  const v38 = mntrSeries('zk_avg_latency\t0.4286\nzk_uptime\t12345\nzk_quorum_size\t2\n', { host: 'h', myid: 1 }).split(
    '\n',
  );
  assert.ok(v38.includes('zookeeper_avg_latency{host="h",myid="1"} 0.4286'));
  assert.ok(v38.includes('zookeeper_quorum_size{host="h",myid="1"} 2'));
});
