// Original file: proto/zkfleet.proto

import type { ZooKeeperMode as _zkfleet_v1_ZooKeeperMode, ZooKeeperMode__Output as _zkfleet_v1_ZooKeeperMode__Output } from '../../zkfleet/v1/ZooKeeperMode';
import type { Long } from '@grpc/proto-loader';

export interface ZooKeeperStatus {
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
  'mode'?: (_zkfleet_v1_ZooKeeperMode);
}

export interface ZooKeeperStatus__Output {
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
  'mode': (_zkfleet_v1_ZooKeeperMode__Output);
}
