import { stringify } from 'yaml';
import type { Ensemble } from '../ensemble/file';
import { JOBS } from './names';

/** One `file_sd` entry: a target and the labels every series scraped from it gets. */
export interface SdTarget {
  targets: string[];
  labels: Record<string, string>;
}

/** The scrape targets of one ensemble by job; a job without targets (nothing serves it) is left out. */
export function targetsOf(e: Ensemble, myids: Record<string, number>): Partial<Record<keyof typeof JOBS, SdTarget[]>> {
  const ensemble = e.spec.name;
  const out: Partial<Record<keyof typeof JOBS, SdTarget[]>> = {};
  const metricsPort = e.spec.agents.metricsPort;
  if (metricsPort) {
    out.agent = e.spec.hosts.map((h) => ({
      targets: [`${h.address}:${metricsPort}`],
      labels: { ensemble, host: h.name },
    }));
  }
  const provider = e.spec.zookeeper.prometheus;
  if (provider) {
    out.zookeeper = e.spec.hosts
      .filter((h) => h.roles.includes('zookeeper'))
      .map((h) => ({
        targets: [`${h.address}:${provider.port}`],
        labels: { ensemble, host: h.name, ...(myids[h.name] ? { myid: String(myids[h.name]) } : {}) },
      }));
  }
  const server = e.spec.coordinator?.metrics;
  if (server) out.coordinator = [{ targets: [server], labels: { ensemble } }];
  return out;
}

/** The file a job's targets of one ensemble go to, relative to the output directory. */
export const targetsFile = (ensemble: string, job: keyof typeof JOBS) => `targets/${ensemble}-${job}.json`;

/**
 * The scrape jobs, reading every ensemble's targets by glob, so that several ensembles' outputs in one
 * directory are one configuration. Series of the agents and the coordinator server name their own `host`
 * (honor_labels): the target's label is the same host, or absent.
 */
export function scrapeConfigs(scrapeInterval: string) {
  const job = (name: string, kind: keyof typeof JOBS, honor: boolean) => ({
    job_name: name,
    scrape_interval: scrapeInterval,
    ...(honor ? { honor_labels: true } : {}),
    file_sd_configs: [{ files: [`targets/*-${kind}.json`] }],
  });
  return [
    job(JOBS.agent, 'agent', true),
    job(JOBS.zookeeper, 'zookeeper', false),
    job(JOBS.coordinator, 'coordinator', true),
  ];
}

/** A whole prometheus.yml for this directory: the jobs and every ensemble's rules. */
export function renderPrometheusConfig(scrapeInterval: string): string {
  const config = {
    global: { scrape_interval: scrapeInterval, evaluation_interval: scrapeInterval },
    rule_files: ['rules/*.rules.yml'],
    scrape_configs: scrapeConfigs(scrapeInterval),
  };
  return stringify(config, { lineWidth: 0 });
}

/** The jobs alone, to paste under `scrape_configs:` of an existing Prometheus (file paths relative to it). */
export function renderScrapeSnippet(scrapeInterval: string): string {
  return stringify(scrapeConfigs(scrapeInterval), { lineWidth: 0 });
}
