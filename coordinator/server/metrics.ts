import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { MODES } from '../../shared/zookeeper/mode';
import type { BackupSchedule } from './backups';
import { lowDiskOf, type HealthStore } from './health-store';

type HostView = ReturnType<HealthStore['view']>['hosts'][number];

/**
 * The coordinator server's /metrics through prom-client: the fleet as the agents' reports show it (one series per
 * host), the scheduled backups, and the process. Values are read from the store at each scrape.
 */
export function serverRegistry(store: HealthStore, backups: BackupSchedule | undefined): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const perHost = (name: string, help: string, value: (h: HostView, now: number) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['host'],
      registers: [registry],
      collect() {
        this.reset();
        const now = Date.now();
        for (const h of store.view(0).hosts) this.set({ host: h.name }, value(h, now));
      },
    });
  const zk = (h: HostView) => h.report.zookeeper;
  perHost('zkfleet_host_up', '1 while the host reports within its TTL.', (h) => (h.stale ? 0 : 1));
  perHost('zkfleet_report_age_seconds', 'Age of the latest health report.', (h, now) => (now - h.receivedAtMs) / 1000);
  perHost('zkfleet_zookeeper_zxid', 'The last zxid the server reported.', (h) => zxidNumber(zk(h)?.zxid ?? ''));
  perHost('zkfleet_zookeeper_latency_avg_ms', 'Average latency (ms).', (h) => zk(h)?.latencyAvg ?? 0);
  perHost('zkfleet_zookeeper_outstanding_requests', 'Queued requests.', (h) => zk(h)?.outstanding ?? 0);
  perHost('zkfleet_zookeeper_connections', 'Client connections.', (h) => zk(h)?.connections ?? 0);
  perHost(
    'zkfleet_zookeeper_restarts_total',
    'Times the server was started again after it stopped by itself.',
    (h) => zk(h)?.restarts ?? 0,
  );
  perHost('zkfleet_drift', '1 while the host differs from what zkfleet wrote.', (h) => (h.report.drift.length ? 1 : 0));
  perHost('zkfleet_disk_low', '1 while a disk under the data is low.', (h) => (lowDiskOf(h.report) ? 1 : 0));
  modeGauge(registry, store);
  diskGauge(registry, store);
  new Gauge({
    name: 'zkfleet_reports_total',
    help: 'Health reports received.',
    registers: [registry],
    collect() {
      this.set(store.reportsTotal);
    },
  });
  if (backups) backupGauges(registry, backups);
  return registry;
}

function modeGauge(registry: Registry, store: HealthStore): void {
  new Gauge({
    name: 'zkfleet_zookeeper_mode',
    help: 'The server mode (1 for the current one).',
    labelNames: ['host', 'mode'],
    registers: [registry],
    collect() {
      this.reset();
      for (const h of store.view(0).hosts) {
        for (const mode of MODES.filter((m) => m !== 'unknown')) {
          this.set({ host: h.name, mode }, h.report.zookeeper?.mode === mode ? 1 : 0);
        }
      }
    },
  });
}

function diskGauge(registry: Registry, store: HealthStore): void {
  new Gauge({
    name: 'zkfleet_disk_free_bytes',
    help: 'Free space where the server data lives, as the agents report it.',
    labelNames: ['host', 'path'],
    registers: [registry],
    collect() {
      this.reset();
      for (const h of store.view(0).hosts)
        for (const d of h.report.disks) this.set({ host: h.name, path: d.path }, Number(d.freeBytes));
    },
  });
}

function backupGauges(registry: Registry, b: BackupSchedule): void {
  const gauge = (name: string, help: string, value: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(value());
      },
    });
  gauge('zkfleet_backup_last_success_timestamp_seconds', 'When the last verified backup was taken (0: none).', () =>
    Math.floor(b.lastSuccess / 1000),
  );
  gauge('zkfleet_backup_last_size_bytes', 'Size of the last verified backup.', () => b.lastBytes);
  gauge('zkfleet_backup_failures_total', 'Scheduled backups that failed.', () => b.failures);
  gauge('zkfleet_backup_interval_seconds', 'The backup schedule (backup.every).', () => b.everyMs / 1000);
  const durations = new Histogram({
    name: 'zkfleet_backup_duration_seconds',
    help: 'How long scheduled backups took, verification included.',
    labelNames: ['result'],
    buckets: [1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  b.onTaken = (seconds, ok) => durations.observe({ result: ok ? 'ok' : 'error' }, seconds);
}

function zxidNumber(z: string): number {
  return /^0x[0-9a-f]+$/i.test(z) ? Number(BigInt(z)) : 0;
}
