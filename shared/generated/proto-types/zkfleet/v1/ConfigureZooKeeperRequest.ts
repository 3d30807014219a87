// Original file: proto/zkfleet.proto

import type { ZooKeeperServer as _zkfleet_v1_ZooKeeperServer, ZooKeeperServer__Output as _zkfleet_v1_ZooKeeperServer__Output } from '../../zkfleet/v1/ZooKeeperServer';
import type { QuorumTls as _zkfleet_v1_QuorumTls, QuorumTls__Output as _zkfleet_v1_QuorumTls__Output } from '../../zkfleet/v1/QuorumTls';
import type { ClientTls as _zkfleet_v1_ClientTls, ClientTls__Output as _zkfleet_v1_ClientTls__Output } from '../../zkfleet/v1/ClientTls';

export interface ConfigureZooKeeperRequest {
  /**
   * opt: zoo.cfg goes to <install_dir>/zookeeper/conf/zoo.cfg
   */
  'installDir'?: (string);
  'dataDir'?: (string);
  'dataLogDir'?: (string);
  'clientPort'?: (number);
  'clientPortAddress'?: (string);
  'tickTime'?: (number);
  'initLimit'?: (number);
  'syncLimit'?: (number);
  'servers'?: (_zkfleet_v1_ZooKeeperServer)[];
  'myid'?: (number);
  /**
   * 4lw.commands.whitelist; default "srvr,mntr,ruok"
   */
  'fourLetterWords'?: (string);
  'autopurgeSnapRetainCount'?: (number);
  'autopurgePurgeInterval'?: (number);
  /**
   * empty: AdminServer disabled
   */
  'adminServerAddress'?: (string);
  'adminServerPort'?: (number);
  'extra'?: ({[key: string]: string});
  'dryRun'?: (boolean);
  /**
   * SERVER_JVMFLAGS for zkServer.sh
   */
  'jvmFlags'?: (string);
  /**
   * logical path of the JDK link
   */
  'javaHome'?: (string);
  /**
   * the system user the server runs as (created when missing); root allowed
   */
  'user'?: (string);
  /**
   * agent (the agent keeps it running) | systemd (a zookeeper.service unit)
   */
  'supervisor'?: (string);
  /**
   * -Xms/-Xmx
   */
  'heapMb'?: (number);
  /**
   * the server log rotates at this size ...
   */
  'logMaxSizeKb'?: (number);
  /**
   * ... keeping this many files
   */
  'logKeep'?: (number);
  /**
   * INFO, DEBUG, WARN ...
   */
  'logLevel'?: (string);
  /**
   * snapshot.trust.empty: only while a 3.4 dataDir with transaction logs and no snapshot moves to 3.5+.
   */
  'snapshotTrustEmpty'?: (boolean);
  /**
   * Dynamic reconfiguration (3.5.3+): zoo.cfg gets reconfigEnabled and points at a dynamic file, which is
   * written from `servers` only when the server has none yet (a joiner, or reconfig turned on): ZooKeeper owns it
   * from then on. `super_digest` ("super:<base64 sha1>") lets the coordinator's own calls in (reconfig, ACLs);
   * sent with reconfig or with client authentication.
   */
  'reconfig'?: (boolean);
  'superDigest'?: (string);
  /**
   * ZooKeeper's PrometheusMetricsProvider (3.6+) on this port (0: off), bound to `prometheus_host` (3.8+; "" all).
   */
  'prometheusPort'?: (number);
  'prometheusHost'?: (string);
  /**
   * Clients must authenticate by digest before anything else (enforce.auth.enabled, 3.7+).
   */
  'enforceAuth'?: (boolean);
  /**
   * Quorum TLS (3.5.5+): the stage of the Administrator's Guide's migration this server runs at. With any stage
   * but quorum_plain, the server's certificate (for the key ZooKeeperServerKey made) and zkfleet's CA are sent,
   * and written with that key as PEM key and trust stores only the server's user can read.
   */
  'quorumTls'?: (_zkfleet_v1_QuorumTls);
  'tlsCertPem'?: (string);
  'tlsCaPem'?: (string);
  /**
   * Client TLS (3.5.5+): secureClientPort with the same stores; `only` leaves the plain port to this host's own
   * processes (127.0.0.1: the agent's four-letter words), so no plaintext client reaches it from the network.
   */
  'clientTls'?: (_zkfleet_v1_ClientTls);
  'secureClientPort'?: (number);
}

export interface ConfigureZooKeeperRequest__Output {
  /**
   * opt: zoo.cfg goes to <install_dir>/zookeeper/conf/zoo.cfg
   */
  'installDir': (string);
  'dataDir': (string);
  'dataLogDir': (string);
  'clientPort': (number);
  'clientPortAddress': (string);
  'tickTime': (number);
  'initLimit': (number);
  'syncLimit': (number);
  'servers': (_zkfleet_v1_ZooKeeperServer__Output)[];
  'myid': (number);
  /**
   * 4lw.commands.whitelist; default "srvr,mntr,ruok"
   */
  'fourLetterWords': (string);
  'autopurgeSnapRetainCount': (number);
  'autopurgePurgeInterval': (number);
  /**
   * empty: AdminServer disabled
   */
  'adminServerAddress': (string);
  'adminServerPort': (number);
  'extra': ({[key: string]: string});
  'dryRun': (boolean);
  /**
   * SERVER_JVMFLAGS for zkServer.sh
   */
  'jvmFlags': (string);
  /**
   * logical path of the JDK link
   */
  'javaHome': (string);
  /**
   * the system user the server runs as (created when missing); root allowed
   */
  'user': (string);
  /**
   * agent (the agent keeps it running) | systemd (a zookeeper.service unit)
   */
  'supervisor': (string);
  /**
   * -Xms/-Xmx
   */
  'heapMb': (number);
  /**
   * the server log rotates at this size ...
   */
  'logMaxSizeKb': (number);
  /**
   * ... keeping this many files
   */
  'logKeep': (number);
  /**
   * INFO, DEBUG, WARN ...
   */
  'logLevel': (string);
  /**
   * snapshot.trust.empty: only while a 3.4 dataDir with transaction logs and no snapshot moves to 3.5+.
   */
  'snapshotTrustEmpty': (boolean);
  /**
   * Dynamic reconfiguration (3.5.3+): zoo.cfg gets reconfigEnabled and points at a dynamic file, which is
   * written from `servers` only when the server has none yet (a joiner, or reconfig turned on): ZooKeeper owns it
   * from then on. `super_digest` ("super:<base64 sha1>") lets the coordinator's own calls in (reconfig, ACLs);
   * sent with reconfig or with client authentication.
   */
  'reconfig': (boolean);
  'superDigest': (string);
  /**
   * ZooKeeper's PrometheusMetricsProvider (3.6+) on this port (0: off), bound to `prometheus_host` (3.8+; "" all).
   */
  'prometheusPort': (number);
  'prometheusHost': (string);
  /**
   * Clients must authenticate by digest before anything else (enforce.auth.enabled, 3.7+).
   */
  'enforceAuth': (boolean);
  /**
   * Quorum TLS (3.5.5+): the stage of the Administrator's Guide's migration this server runs at. With any stage
   * but quorum_plain, the server's certificate (for the key ZooKeeperServerKey made) and zkfleet's CA are sent,
   * and written with that key as PEM key and trust stores only the server's user can read.
   */
  'quorumTls': (_zkfleet_v1_QuorumTls__Output);
  'tlsCertPem': (string);
  'tlsCaPem': (string);
  /**
   * Client TLS (3.5.5+): secureClientPort with the same stores; `only` leaves the plain port to this host's own
   * processes (127.0.0.1: the agent's four-letter words), so no plaintext client reaches it from the network.
   */
  'clientTls': (_zkfleet_v1_ClientTls__Output);
  'secureClientPort': (number);
}
