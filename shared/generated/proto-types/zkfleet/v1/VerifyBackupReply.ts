// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface VerifyBackupReply {
  /**
   * znodes in the snapshot
   */
  'nodeCount'?: (number | string | Long);
  /**
   * the newest transaction in the logs (or the snapshot's, without logs)
   */
  'lastZxid'?: (string);
  /**
   * what parsed them: "SnapshotFormatter, TxnLogToolkit of ZooKeeper 3.8.0"
   */
  'tool'?: (string);
}

export interface VerifyBackupReply__Output {
  /**
   * znodes in the snapshot
   */
  'nodeCount': (number);
  /**
   * the newest transaction in the logs (or the snapshot's, without logs)
   */
  'lastZxid': (string);
  /**
   * what parsed them: "SnapshotFormatter, TxnLogToolkit of ZooKeeper 3.8.0"
   */
  'tool': (string);
}
