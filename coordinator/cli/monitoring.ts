import type { Command } from 'commander';
import path from 'node:path';
import { loadEnsemble } from '../ensemble/file';
import { writeMonitoring } from '../monitoring/write';
import { fail, writeJson } from './common';

interface MonitoringFlags {
  out?: string;
  scrapeInterval: string;
  json?: boolean;
  stateDir?: string;
}

export function registerMonitoring(program: Command): void {
  program
    .command('monitoring')
    .argument('<file>', 'the ensemble file')
    .option('--out <dir>', 'where to write (default: monitoring/ next to the ensemble file)')
    .option('--scrape-interval <duration>', 'how often Prometheus scrapes (and evaluates the rules)', '15s')
    .option('--json', 'print what was written as JSON on stdout')
    .option('--state-dir <dir>', 'the ensemble state directory (default: .zkfleet/<name> next to the file)')
    .description('write what a Prometheus needs for this ensemble: targets, scrape jobs, alert rules, a dashboard')
    .addHelpText(
      'after',
      `
Writes, under --out (several ensembles can share one directory: their files are named by ensemble, and
prometheus.yml reads them all by glob):
  prometheus.yml                     a whole Prometheus configuration for this directory
  scrape-configs.yml                 the scrape jobs alone, for an existing Prometheus's scrape_configs
  targets/<ensemble>-<job>.json      file_sd targets with ensemble and host labels (agents, ZooKeeper's own
                                     provider when zookeeper.prometheus is set, the coordinator server)
  rules/<ensemble>.rules.yml         the alert rules, each with an action annotation (README: "Alerts")
  tests/<ensemble>.rules.test.yml    promtool test rules: each alert firing, and silent
  dashboards/zkfleet-zookeeper.json  a Grafana dashboard with ensemble and host variables

Every endpoint is plain HTTP (the agents' /metrics, the coordinator server's, ZooKeeper's provider): no
TLS settings are needed in the scrape jobs.

Exit codes: 0 written, 1 error, 64 usage.

Examples:
  coordinator monitoring ensemble.yaml --out /etc/prometheus/zkfleet
  promtool check config /etc/prometheus/zkfleet/prometheus.yml
  promtool test rules /etc/prometheus/zkfleet/tests/dubbo-zk.rules.test.yml
`,
    )
    .action(async (file: string, o: MonitoringFlags) => {
      try {
        const e = await loadEnsemble(file, { stateDir: o.stateDir, checkArtifacts: false, checkPki: false });
        const dir = path.resolve(o.out ?? path.join(path.dirname(path.resolve(file)), 'monitoring'));
        const r = await writeMonitoring(e, dir, o.scrapeInterval);
        if (o.json) writeJson({ ok: true, ...r });
        else {
          const targets = Object.entries(r.targets)
            .map(([job, n]) => `${job} ${n}`)
            .join(', ');
          process.stdout.write(`${r.dir}: ${r.files.length} files (targets: ${targets})\n`);
          for (const f of r.files) process.stdout.write(`  ${f}\n`);
          for (const n of r.notes) process.stdout.write(`note: ${n}\n`);
        }
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}
