import { LOW_DISK } from '../../shared/defaults';
import { JOBS } from './names';

/**
 * The alert rules of one ensemble, each with what to do and with the two cases `promtool test rules` checks: a
 * series that makes it fire and one that keeps it silent. One table: the rules file, the test file and the
 * README's list all come from it. Expressions are scoped to the ensemble (`E` below), so several ensembles'
 * rule files load side by side.
 */
export interface AlertCase {
  /** `metric{labels}` with the ensemble's labels added, and promtool's expanding notation for its values. */
  series: Array<{ series: string; values: string }>;
}

export interface Alert {
  name: string;
  severity: 'critical' | 'warning';
  /** PromQL, with `E` standing for the ensemble's label matcher (`ensemble="dubbo-zk"`). */
  expr: string;
  for?: string;
  summary: string;
  /** What the person paged does first. */
  action: string;
  /** Labels of the alert beyond severity (those of its series after aggregation). */
  labels: string[];
  /** When the cases are evaluated, when not at CASE_AT. */
  at?: string;
  fires: AlertCase;
  silent: AlertCase;
}

/** Labels of one server's series in the cases: the ensemble's are added when rendered. */
const S1 = 'host="hdss7-11",myid="1"';
const S2 = 'host="hdss7-12",myid="2"';

/** When the cases are evaluated: long enough for every `for` below but the version drift's. */
export const CASE_AT = '20m';

export function alertTable(voters: number): Alert[] {
  return [...serverAlerts(voters), ...loadAlerts(), ...hostAlerts(), ...fleetAlerts(), certificateAlert()];
}

/** Alerts on the servers and the quorum. */
function serverAlerts(voters: number): Alert[] {
  return [
    {
      name: 'ZooKeeperServerDown',
      severity: 'critical',
      expr: 'zkfleet_zookeeper_serving{E} == 0',
      for: '1m',
      summary: 'ZooKeeper on {{ $labels.host }} (myid {{ $labels.myid }}) is not serving',
      action:
        'coordinator status FILE shows its mode and log tail; coordinator logs FILE --host HOST for why. The ' +
        'others keep the quorum while one is down: bring it back (coordinator start) before touching another',
      labels: ['ensemble', 'host', 'myid'],
      fires: { series: [{ series: `zkfleet_zookeeper_serving{${S1}}`, values: '1 0x30' }] },
      silent: { series: [{ series: `zkfleet_zookeeper_serving{${S1}}`, values: '1x30' }] },
    },
    {
      name: 'ZooKeeperNoLeader',
      severity: 'critical',
      expr: 'sum by (ensemble) (zkfleet_zookeeper_leader{E}) < 1',
      for: '1m',
      summary: 'ensemble {{ $labels.ensemble }} has no leader: the quorum is lost and the registry refuses writes',
      action:
        'coordinator status FILE: which servers are down or LOOKING. Start the stopped ones; a quorum (a majority ' +
        'of the voters) must serve. Do not wipe any dataDir',
      labels: ['ensemble'],
      fires: {
        series: [
          { series: `zkfleet_zookeeper_leader{${S1}}`, values: '1 0x30' },
          { series: `zkfleet_zookeeper_leader{${S2}}`, values: '0x30' },
        ],
      },
      silent: {
        series: [
          { series: `zkfleet_zookeeper_leader{${S1}}`, values: '1 0x30' },
          { series: `zkfleet_zookeeper_leader{${S2}}`, values: '0 1x30' },
        ],
      },
    },
    {
      name: 'ZooKeeperSyncedFollowersLow',
      severity: 'warning',
      expr: `zookeeper_synced_followers{E} < ${voters - 1}`,
      for: '5m',
      summary: 'the leader {{ $labels.host }} has fewer synced followers than the other voters',
      action:
        'a follower is down or cannot sync: coordinator status FILE shows which; its log says why (disk, network, ' +
        'a snapshot too big for initLimit)',
      labels: ['ensemble', 'host', 'myid'],
      fires: { series: [{ series: `zookeeper_synced_followers{${S1}}`, values: `${Math.max(0, voters - 2)}x30` }] },
      silent: { series: [{ series: `zookeeper_synced_followers{${S1}}`, values: `${voters - 1}x30` }] },
    },
  ];
}

/** Alerts on elections and load. */
function loadAlerts(): Alert[] {
  return [
    {
      name: 'ZooKeeperLeaderChanging',
      severity: 'warning',
      // Each election flips two series (the old leader's to 0, the new one's to 1).
      expr: 'sum by (ensemble) (changes(zkfleet_zookeeper_leader{E}[15m])) > 4',
      summary: 'ensemble {{ $labels.ensemble }} elected a leader more than twice in 15 minutes',
      at: '8m',
      action:
        'servers restart or lose each other: look for restarts (coordinator status FILE), long GC pauses and ' +
        'network loss between the hosts; syncLimit may be too short for this network',
      labels: ['ensemble'],
      fires: {
        series: [
          { series: `zkfleet_zookeeper_leader{${S1}}`, values: '1 0 1 0 1 0 1x24' },
          { series: `zkfleet_zookeeper_leader{${S2}}`, values: '0 1 0 1 0 1 0x24' },
        ],
      },
      silent: {
        series: [
          { series: `zkfleet_zookeeper_leader{${S1}}`, values: '1 0x29' },
          { series: `zkfleet_zookeeper_leader{${S2}}`, values: '0 1x29' },
        ],
      },
    },
    gaugeAbove('ZooKeeperOutstandingRequestsHigh', 'zookeeper_outstanding_requests', 10, {
      summary: '{{ $labels.host }} has requests queued for 5 minutes',
      action:
        'the server cannot keep up: a client flooding it, a slow disk under dataLogDir, or GC. Check its latency ' +
        'and the clients connected to it (zookeeper_num_alive_connections)',
    }),
    gaugeAbove('ZooKeeperLatencyHigh', 'zookeeper_avg_latency', 100, {
      summary: '{{ $labels.host }} answers in more than 100 ms on average',
      action:
        'a slow disk under dataLogDir (fsync), swapping, or GC pauses: check the host; give dataLogDir its own disk',
    }),
    {
      name: 'ZooKeeperFileDescriptorsNearLimit',
      severity: 'warning',
      expr: 'zookeeper_open_file_descriptor_count{E} / zookeeper_max_file_descriptor_count{E} > 0.85',
      for: '5m',
      summary: '{{ $labels.host }} uses more than 85% of its file descriptors',
      action: 'too many client connections (a leak in a service?) or a low limit: raise LimitNOFILE, find the client',
      labels: ['ensemble', 'host', 'myid'],
      fires: {
        series: [
          { series: `zookeeper_open_file_descriptor_count{${S1}}`, values: '950x30' },
          { series: `zookeeper_max_file_descriptor_count{${S1}}`, values: '1024x30' },
        ],
      },
      silent: {
        series: [
          { series: `zookeeper_open_file_descriptor_count{${S1}}`, values: '100x30' },
          { series: `zookeeper_max_file_descriptor_count{${S1}}`, values: '1024x30' },
        ],
      },
    },
  ];
}

/** Alerts on the hosts and the agents. */
function hostAlerts(): Alert[] {
  return [
    {
      name: 'ZooKeeperDiskLow',
      severity: 'warning',
      expr: `zkfleet_disk_free_bytes{E} / zkfleet_disk_size_bytes{E} < ${LOW_DISK.freeFraction}`,
      for: '5m',
      summary: 'the disk under {{ $labels.role }} {{ $labels.path }} on {{ $labels.host }} is nearly full',
      action:
        'ZooKeeper stops when it cannot write its log: free space now (old logs, autopurge), never in the dataDir ' +
        'by hand; a deploy refuses a host below zookeeper.minFreeMB',
      labels: ['ensemble', 'host', 'role', 'path'],
      fires: {
        series: [
          { series: 'zkfleet_disk_free_bytes{host="hdss7-11",role="dataDir",path="/data"}', values: '1x30' },
          size(),
        ],
      },
      silent: {
        series: [
          { series: 'zkfleet_disk_free_bytes{host="hdss7-11",role="dataDir",path="/data"}', values: '50x30' },
          size(),
        ],
      },
    },
    {
      name: 'ZooKeeperRestarting',
      severity: 'warning',
      // The agent's count; the coordinator server repeats it per host.
      expr: `increase(zkfleet_zookeeper_restarts_total{E,job="${JOBS.agent}"}[15m]) > 0`,
      summary: 'the server on {{ $labels.host }} stopped by itself and was started again',
      action: 'coordinator status FILE shows its last exit and the log tail at that moment: find why it died',
      labels: ['ensemble', 'host', 'myid', 'job'],
      fires: {
        series: [{ series: `zkfleet_zookeeper_restarts_total{${S1},job="${JOBS.agent}"}`, values: '0x15 1x15' }],
      },
      silent: { series: [{ series: `zkfleet_zookeeper_restarts_total{${S1},job="${JOBS.agent}"}`, values: '2x30' }] },
    },
    {
      name: 'ZkfleetAgentDown',
      severity: 'critical',
      expr: `up{E,job="${JOBS.agent}"} == 0`,
      for: '2m',
      summary: 'the zkfleet agent on {{ $labels.host }} does not answer its scrape',
      action:
        'the host is down or the agent stopped: systemctl status zkfleet-agent on it. Its ZooKeeper server may ' +
        'still serve; nothing can be deployed to it until the agent is back',
      labels: ['ensemble', 'host', 'instance', 'job'],
      fires: {
        series: [{ series: `up{host="hdss7-11",instance="10.4.7.11:9100",job="${JOBS.agent}"}`, values: '0x30' }],
      },
      silent: {
        series: [{ series: `up{host="hdss7-11",instance="10.4.7.11:9100",job="${JOBS.agent}"}`, values: '1x30' }],
      },
    },
  ];
}

/** Alerts on versions, backups and certificates. */
function fleetAlerts(): Alert[] {
  return [
    {
      name: 'ZooKeeperVersionsDrifting',
      severity: 'warning',
      expr: 'count by (ensemble) (count by (ensemble, version) (zkfleet_zookeeper_version_info{E})) > 1',
      for: '2h',
      summary: 'ensemble {{ $labels.ensemble }} runs more than one ZooKeeper version for 2 hours',
      at: '150m',
      action: 'an upgrade stopped half-way: coordinator deploy FILE finishes it, or coordinator rollback FILE',
      labels: ['ensemble'],
      fires: {
        series: [
          { series: `zkfleet_zookeeper_version_info{${S1},version="3.4.13"}`, values: '1x200' },
          { series: `zkfleet_zookeeper_version_info{${S2},version="3.8.0"}`, values: '1x200' },
        ],
      },
      silent: {
        series: [
          { series: `zkfleet_zookeeper_version_info{${S1},version="3.8.0"}`, values: '1x200' },
          { series: `zkfleet_zookeeper_version_info{${S2},version="3.8.0"}`, values: '1x200' },
        ],
      },
    },
    {
      name: 'ZkfleetBackupOld',
      severity: 'warning',
      expr: 'time() - zkfleet_backup_last_success_timestamp_seconds{E} > 2 * zkfleet_backup_interval_seconds{E}',
      for: '10m',
      summary: 'the last verified backup of {{ $labels.ensemble }} is older than twice its schedule',
      action: 'the coordinator server logs each backup-failed event with its reason; coordinator backup FILE takes one',
      labels: ['ensemble', 'instance', 'job'],
      fires: backupCase('0x30', '60x30'),
      silent: backupCase('1190x30', '3600x30'),
    },
    {
      name: 'ZkfleetBackupFailing',
      severity: 'warning',
      expr: 'increase(zkfleet_backup_failures_total{E}[1h]) > 0',
      summary: 'a scheduled backup of {{ $labels.ensemble }} failed',
      action: 'the backup-failed event says why (no serving follower, a digest or parse failure); fix, then re-run',
      labels: ['ensemble', 'instance', 'job'],
      fires: { series: [{ series: coordinatorSeries('zkfleet_backup_failures_total'), values: '0x10 1x20' }] },
      silent: { series: [{ series: coordinatorSeries('zkfleet_backup_failures_total'), values: '0x30' }] },
    },
  ];
}

/** A per-server gauge that alerts when it stays above `limit` for 5 minutes. */
function gaugeAbove(name: string, metric: string, limit: number, text: { summary: string; action: string }): Alert {
  return {
    name,
    severity: 'warning',
    expr: `${metric}{E} > ${limit}`,
    for: '5m',
    ...text,
    labels: ['ensemble', 'host', 'myid'],
    fires: { series: [{ series: `${metric}{${S1}}`, values: `${limit * 5}x30` }] },
    silent: { series: [{ series: `${metric}{${S1}}`, values: `${Math.floor(limit / 2)}x30` }] },
  };
}

function size() {
  return { series: 'zkfleet_disk_size_bytes{host="hdss7-11",role="dataDir",path="/data"}', values: '100x30' };
}

function coordinatorSeries(metric: string): string {
  return `${metric}{instance="10.4.7.200:9400",job="${JOBS.coordinator}"}`;
}

function backupCase(lastSuccess: string, interval: string): AlertCase {
  return {
    series: [
      { series: coordinatorSeries('zkfleet_backup_last_success_timestamp_seconds'), values: lastSuccess },
      { series: coordinatorSeries('zkfleet_backup_interval_seconds'), values: interval },
    ],
  };
}

/** The certificates zkfleet made, expiring within three weeks (bootstrap renews an agent's within 30 days). */
function certificateAlert(): Alert {
  return {
    name: 'ZkfleetCertificateExpiring',
    severity: 'warning',
    expr: 'zkfleet_certificate_expiry_timestamp_seconds{E} - time() < 21 * 86400',
    summary: 'the {{ $labels.kind }} certificate on {{ $labels.host }} expires within 21 days',
    action:
      'kind=agent: coordinator bootstrap FILE --host HOST issues the agent a new certificate (it renews any that ' +
      'expires within 30 days) and restarts the agent, its ZooKeeper server keeps running; kind=zookeeper: ' +
      'coordinator deploy FILE renews it (within 21 days) and rolls it in, one server at a time',
    labels: ['ensemble', 'host', 'kind'],
    fires: {
      series: [
        {
          series: 'zkfleet_certificate_expiry_timestamp_seconds{host="hdss7-11",kind="agent"}',
          values: `${10 * 86400}x30`,
        },
      ],
    },
    silent: {
      series: [
        {
          series: 'zkfleet_certificate_expiry_timestamp_seconds{host="hdss7-11",kind="agent"}',
          values: `${60 * 86400}x30`,
        },
      ],
    },
  };
}
