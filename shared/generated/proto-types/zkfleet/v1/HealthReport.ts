// Original file: proto/zkfleet.proto

import type { Facts as _zkfleet_v1_Facts, Facts__Output as _zkfleet_v1_Facts__Output } from '../../zkfleet/v1/Facts';
import type { ZooKeeperStatus as _zkfleet_v1_ZooKeeperStatus, ZooKeeperStatus__Output as _zkfleet_v1_ZooKeeperStatus__Output } from '../../zkfleet/v1/ZooKeeperStatus';
import type { Disk as _zkfleet_v1_Disk, Disk__Output as _zkfleet_v1_Disk__Output } from '../../zkfleet/v1/Disk';
import type { Long } from '@grpc/proto-loader';

export interface HealthReport {
  'name'?: (string);
  'sentAtMs'?: (number | string | Long);
  'ttlMs'?: (number);
  'facts'?: (_zkfleet_v1_Facts | null);
  'zookeeper'?: (_zkfleet_v1_ZooKeeperStatus | null);
  /**
   * files changed by hand since zkfleet wrote them
   */
  'drift'?: (string)[];
  /**
   * dataDir and dataLogDir
   */
  'disks'?: (_zkfleet_v1_Disk)[];
}

export interface HealthReport__Output {
  'name': (string);
  'sentAtMs': (number);
  'ttlMs': (number);
  'facts': (_zkfleet_v1_Facts__Output | null);
  'zookeeper': (_zkfleet_v1_ZooKeeperStatus__Output | null);
  /**
   * files changed by hand since zkfleet wrote them
   */
  'drift': (string)[];
  /**
   * dataDir and dataLogDir
   */
  'disks': (_zkfleet_v1_Disk__Output)[];
}
