// Original file: proto/zkfleet.proto

import type { Disk as _zkfleet_v1_Disk, Disk__Output as _zkfleet_v1_Disk__Output } from '../../zkfleet/v1/Disk';
import type { NetInterface as _zkfleet_v1_NetInterface, NetInterface__Output as _zkfleet_v1_NetInterface__Output } from '../../zkfleet/v1/NetInterface';
import type { ZooKeeperMode as _zkfleet_v1_ZooKeeperMode, ZooKeeperMode__Output as _zkfleet_v1_ZooKeeperMode__Output } from '../../zkfleet/v1/ZooKeeperMode';
import type { Long } from '@grpc/proto-loader';

export interface Facts {
  /**
   * the agent's configured name (from its certificate)
   */
  'name'?: (string);
  'hostname'?: (string);
  'os'?: (string);
  'kernel'?: (string);
  'cpus'?: (number);
  'memoryTotalBytes'?: (number | string | Long);
  'memoryAvailableBytes'?: (number | string | Long);
  'disks'?: (_zkfleet_v1_Disk)[];
  'interfaces'?: (_zkfleet_v1_NetInterface)[];
  'capabilities'?: (string)[];
  'jdkVersion'?: (string);
  'zookeeperVersion'?: (string);
  /**
   * 0 when no myid file
   */
  'myid'?: (number);
  /**
   * version-2/ holds snapshots or logs
   */
  'dataDirHasData'?: (boolean);
  'agentVersion'?: (string);
  'load1'?: (number | string);
  /**
   * The wire contract's version the agent speaks; a coordinator refuses agents of a version it does not.
   */
  'protocolVersion'?: (number);
  'zookeeperMode'?: (_zkfleet_v1_ZooKeeperMode);
  /**
   * What is in the data directories: 3.5+ refuses transaction logs without a snapshot (the 3.4 trap).
   */
  'dataDirHasSnapshot'?: (boolean);
  'dataDirHasTxnlog'?: (boolean);
}

export interface Facts__Output {
  /**
   * the agent's configured name (from its certificate)
   */
  'name': (string);
  'hostname': (string);
  'os': (string);
  'kernel': (string);
  'cpus': (number);
  'memoryTotalBytes': (number);
  'memoryAvailableBytes': (number);
  'disks': (_zkfleet_v1_Disk__Output)[];
  'interfaces': (_zkfleet_v1_NetInterface__Output)[];
  'capabilities': (string)[];
  'jdkVersion': (string);
  'zookeeperVersion': (string);
  /**
   * 0 when no myid file
   */
  'myid': (number);
  /**
   * version-2/ holds snapshots or logs
   */
  'dataDirHasData': (boolean);
  'agentVersion': (string);
  'load1': (number);
  /**
   * The wire contract's version the agent speaks; a coordinator refuses agents of a version it does not.
   */
  'protocolVersion': (number);
  'zookeeperMode': (_zkfleet_v1_ZooKeeperMode__Output);
  /**
   * What is in the data directories: 3.5+ refuses transaction logs without a snapshot (the 3.4 trap).
   */
  'dataDirHasSnapshot': (boolean);
  'dataDirHasTxnlog': (boolean);
}
