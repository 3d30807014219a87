import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../shared/fs-atomic';
import type { Ensemble } from '../ensemble/file';
import { readState } from '../ensemble/state';
import { renderDashboard } from './dashboard';
import { JOBS } from './names';
import { renderRules, renderRuleTests } from './rules';
import { renderPrometheusConfig, renderScrapeSnippet, targetsFile, targetsOf } from './targets';

export interface MonitoringResult {
  dir: string;
  /** Files written, relative to `dir`. */
  files: string[];
  /** Targets per job. */
  targets: Record<string, number>;
  notes: string[];
}

/**
 * `coordinator monitoring`: what a Prometheus needs for one ensemble, in one directory that several ensembles
 * can share (their files are named by ensemble; the configuration reads them by glob; the dashboard is one).
 */
export async function writeMonitoring(e: Ensemble, dir: string, scrapeInterval: string): Promise<MonitoringResult> {
  const name = e.spec.name;
  const state = await readState(e.stateDir);
  const targets = targetsOf(e, state.myids);
  const voters = e.spec.hosts.filter((h) => h.roles.includes('zookeeper') && !h.observer).length;
  const files: Array<[string, string]> = [
    ['prometheus.yml', renderPrometheusConfig(scrapeInterval)],
    ['scrape-configs.yml', renderScrapeSnippet(scrapeInterval)],
    ...(Object.keys(JOBS) as Array<keyof typeof JOBS>).map((job): [string, string] => [
      targetsFile(name, job),
      JSON.stringify(targets[job] ?? [], null, 2) + '\n',
    ]),
    [`rules/${name}.rules.yml`, renderRules(name, voters)],
    [`tests/${name}.rules.test.yml`, renderRuleTests(name, voters, `../rules/${name}.rules.yml`)],
    ['dashboards/zkfleet-zookeeper.json', renderDashboard()],
  ];
  for (const [file, text] of files) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFileAtomic(path.join(dir, file), text, { mode: 0o644 });
  }
  return {
    dir,
    files: files.map(([f]) => f),
    targets: Object.fromEntries(
      Object.entries(JOBS).map(([k, job]) => [job, targets[k as keyof typeof JOBS]?.length ?? 0]),
    ),
    notes: notesFor(e),
  };
}

function notesFor(e: Ensemble): string[] {
  const notes: string[] = [];
  if (!e.spec.agents.metricsPort) {
    notes.push('agents.metricsPort is not set: the agents serve no /metrics, and most alerts have nothing to read');
  }
  if (!e.spec.coordinator?.metrics) {
    notes.push("coordinator.metrics is not set: the backup alerts need the coordinator server's /metrics");
  }
  return notes;
}
