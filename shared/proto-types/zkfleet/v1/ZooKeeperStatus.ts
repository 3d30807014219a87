// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface ZooKeeperStatus {
  /**
   * leader, follower, observer, standalone, not_serving, down, not_configured
   */
  'mode'?: (string);
  'pid'?: (number);
  'listening'?: (boolean);
  'zxid'?: (string);
  'latencyMin'?: (number);
  'latencyAvg'?: (number | string);
  'latencyMax'?: (number);
  'connections'?: (number);
  'outstanding'?: (number);
  'syncedFollowers'?: (number);
  'followers'?: (number);
  'nodeCount'?: (number | string | Long);
  'version'?: (string);
  'clientAddress'?: (string);
  'myid'?: (number);
  /**
   * when down or not serving, the tail of the server log
   */
  'logTail'?: (string);
  'openFds'?: (number);
  'quorumSize'?: (number);
}

export interface ZooKeeperStatus__Output {
  /**
   * leader, follower, observer, standalone, not_serving, down, not_configured
   */
  'mode': (string);
  'pid': (number);
  'listening': (boolean);
  'zxid': (string);
  'latencyMin': (number);
  'latencyAvg': (number);
  'latencyMax': (number);
  'connections': (number);
  'outstanding': (number);
  'syncedFollowers': (number);
  'followers': (number);
  'nodeCount': (number);
  'version': (string);
  'clientAddress': (string);
  'myid': (number);
  /**
   * when down or not serving, the tail of the server log
   */
  'logTail': (string);
  'openFds': (number);
  'quorumSize': (number);
}
