import { JOBS } from './names';

/**
 * The Grafana dashboard of zkfleet's ensembles, with `ensemble` and `host` variables. Grafana is not on these
 * machines: the sandbox test runs every panel's query against a real Prometheus and wants data from each.
 */
export interface Panel {
  title: string;
  /** PromQL; `$ensemble` and `$host` are the dashboard's variables (regular expressions). */
  expr: string;
  unit: string;
  legend: string;
}

const SEL = 'ensemble=~"$ensemble",host=~"$host"';

export const PANELS: Panel[] = [
  { title: 'Mode (1 = leader)', expr: `zkfleet_zookeeper_leader{${SEL}}`, unit: 'none', legend: '{{host}}' },
  {
    title: 'Serving servers',
    expr: `sum by (ensemble) (zkfleet_zookeeper_serving{${SEL}})`,
    unit: 'none',
    legend: '{{ensemble}}',
  },
  { title: 'Synced followers (leader)', expr: `zookeeper_synced_followers{${SEL}}`, unit: 'none', legend: '{{host}}' },
  { title: 'Average latency', expr: `zookeeper_avg_latency{${SEL}}`, unit: 'ms', legend: '{{host}}' },
  { title: 'Outstanding requests', expr: `zookeeper_outstanding_requests{${SEL}}`, unit: 'none', legend: '{{host}}' },
  { title: 'Znodes', expr: `zookeeper_znode_count{${SEL}}`, unit: 'none', legend: '{{host}}' },
  { title: 'Watches', expr: `zookeeper_watch_count{${SEL}}`, unit: 'none', legend: '{{host}}' },
  { title: 'Connections', expr: `zookeeper_num_alive_connections{${SEL}}`, unit: 'none', legend: '{{host}}' },
  {
    title: 'Packets received / s',
    expr: `rate(zookeeper_packets_received{${SEL}}[5m])`,
    unit: 'pps',
    legend: '{{host}}',
  },
  {
    title: 'File descriptors used',
    expr: `zookeeper_open_file_descriptor_count{${SEL}} / zookeeper_max_file_descriptor_count{${SEL}}`,
    unit: 'percentunit',
    legend: '{{host}}',
  },
  {
    title: 'Server restarts',
    expr: `zkfleet_zookeeper_restarts_total{job="${JOBS.agent}",${SEL}}`,
    unit: 'none',
    legend: '{{host}}',
  },
  {
    title: 'Backup age',
    expr: 'time() - zkfleet_backup_last_success_timestamp_seconds{ensemble=~"$ensemble"}',
    unit: 's',
    legend: '{{ensemble}}',
  },
  { title: 'Agents up', expr: `up{job="${JOBS.agent}",${SEL}}`, unit: 'none', legend: '{{host}}' },
];

/** Grafana's dashboard JSON (schema 39): a time series panel per query, two rows of variables. */
export function renderDashboard(): string {
  const panels = PANELS.map((p, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 8, x: (i % 3) * 8, y: Math.floor(i / 3) * 8 },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    targets: [{ refId: 'A', expr: p.expr, legendFormat: p.legend }],
  }));
  const variable = (name: string, query: string) => ({
    name,
    type: 'query',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    query: { query, refId: name },
    definition: query,
    includeAll: true,
    multi: true,
    allValue: '.*',
    refresh: 2,
  });
  const dashboard = {
    uid: 'zkfleet-zookeeper',
    title: 'ZooKeeper (zkfleet)',
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus' },
        variable('ensemble', 'label_values(zkfleet_zookeeper_serving, ensemble)'),
        variable('host', 'label_values(zkfleet_zookeeper_serving{ensemble=~"$ensemble"}, host)'),
      ],
    },
    panels,
  };
  return JSON.stringify(dashboard, null, 2) + '\n';
}

/** A panel's query as Prometheus takes it: every ensemble and host. */
export function panelQuery(p: Panel): string {
  return p.expr.replace(/\$ensemble|\$host/g, '.*');
}
