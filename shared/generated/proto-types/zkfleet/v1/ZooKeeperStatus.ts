// Original file: proto/zkfleet.proto

import type { ZooKeeperMode as _zkfleet_v1_ZooKeeperMode, ZooKeeperMode__Output as _zkfleet_v1_ZooKeeperMode__Output } from '../../zkfleet/v1/ZooKeeperMode';
import type { QuorumTls as _zkfleet_v1_QuorumTls, QuorumTls__Output as _zkfleet_v1_QuorumTls__Output } from '../../zkfleet/v1/QuorumTls';
import type { ClientTls as _zkfleet_v1_ClientTls, ClientTls__Output as _zkfleet_v1_ClientTls__Output } from '../../zkfleet/v1/ClientTls';
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
  /**
   * Supervision: what the agent keeps the server at, and what it had to do.
   */
  'desired'?: (string);
  /**
   * agent | systemd
   */
  'supervisor'?: (string);
  /**
   * times the server was started again after it stopped by itself
   */
  'restarts'?: (number);
  /**
   * how it last stopped by itself: "exit 1", "killed by SIGKILL" ...
   */
  'lastExit'?: (string);
  /**
   * the tail of its log when it did
   */
  'lastExitLog'?: (string);
  /**
   * the wait before the next start attempt (a crash loop backs off)
   */
  'backoffMs'?: (number);
  /**
   * the user the server process runs as
   */
  'user'?: (string);
  /**
   * Versions. `version` above is what the running server says (srvr); these are what the links point at,
   * what the running JVM runs from (its executable's tree), and what waits for the server's restart.
   */
  'zookeeperInstalled'?: (string);
  'jdkInstalled'?: (string);
  'jdkRunning'?: (string);
  'zookeeperStaged'?: (string);
  'jdkStaged'?: (string);
  /**
   * why the running server would run differently after a restart
   */
  'restartPending'?: (string)[];
  /**
   * What the server ran before its last change of trees (a rollback's target); "" when nothing is recorded.
   */
  'zookeeperPrevious'?: (string);
  'jdkPrevious'?: (string);
  /**
   * Dynamic reconfiguration: the config version in ZooKeeper's dynamic file's name and the myids it lists
   * ("1,2,4,5(observer)"); both "" without reconfig.
   */
  'configVersion'?: (string);
  'configMembers'?: (string);
  /**
   * The server's TLS certificate (quorum TLS): its expiry (ISO 8601) and the stage the server is configured at.
   */
  'tlsNotAfter'?: (string);
  'quorumTls'?: (_zkfleet_v1_QuorumTls);
  'clientTls'?: (_zkfleet_v1_ClientTls);
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
  /**
   * Supervision: what the agent keeps the server at, and what it had to do.
   */
  'desired': (string);
  /**
   * agent | systemd
   */
  'supervisor': (string);
  /**
   * times the server was started again after it stopped by itself
   */
  'restarts': (number);
  /**
   * how it last stopped by itself: "exit 1", "killed by SIGKILL" ...
   */
  'lastExit': (string);
  /**
   * the tail of its log when it did
   */
  'lastExitLog': (string);
  /**
   * the wait before the next start attempt (a crash loop backs off)
   */
  'backoffMs': (number);
  /**
   * the user the server process runs as
   */
  'user': (string);
  /**
   * Versions. `version` above is what the running server says (srvr); these are what the links point at,
   * what the running JVM runs from (its executable's tree), and what waits for the server's restart.
   */
  'zookeeperInstalled': (string);
  'jdkInstalled': (string);
  'jdkRunning': (string);
  'zookeeperStaged': (string);
  'jdkStaged': (string);
  /**
   * why the running server would run differently after a restart
   */
  'restartPending': (string)[];
  /**
   * What the server ran before its last change of trees (a rollback's target); "" when nothing is recorded.
   */
  'zookeeperPrevious': (string);
  'jdkPrevious': (string);
  /**
   * Dynamic reconfiguration: the config version in ZooKeeper's dynamic file's name and the myids it lists
   * ("1,2,4,5(observer)"); both "" without reconfig.
   */
  'configVersion': (string);
  'configMembers': (string);
  /**
   * The server's TLS certificate (quorum TLS): its expiry (ISO 8601) and the stage the server is configured at.
   */
  'tlsNotAfter': (string);
  'quorumTls': (_zkfleet_v1_QuorumTls__Output);
  'clientTls': (_zkfleet_v1_ClientTls__Output);
}
