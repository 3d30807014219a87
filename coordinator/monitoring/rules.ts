import { stringify } from 'yaml';
import { alertTable, CASE_AT, type Alert } from './alerts';
import { ensembleMatcher } from './names';

/** The Prometheus rules file of one ensemble: one group, `zkfleet-<ensemble>`, every alert scoped to it. */
export function renderRules(ensemble: string, voters: number): string {
  const rules = alertTable(voters).map((a) => ({
    alert: a.name,
    expr: scoped(a.expr, ensemble),
    ...(a.for ? { for: a.for } : {}),
    labels: { severity: a.severity },
    annotations: { summary: a.summary, action: a.action },
  }));
  return stringify({ groups: [{ name: `zkfleet-${ensemble}`, rules }] }, { lineWidth: 0 });
}

/**
 * `promtool test rules` input: for every alert one test where it fires (with the labels and annotations it must
 * carry) and one where it stays silent.
 */
export function renderRuleTests(ensemble: string, voters: number, rulesFile: string): string {
  const tests = alertTable(voters).flatMap((a) => [caseTest(a, ensemble, 'fires'), caseTest(a, ensemble, 'silent')]);
  return stringify({ rule_files: [rulesFile], evaluation_interval: '1m', tests }, { lineWidth: 0 });
}

function caseTest(a: Alert, ensemble: string, which: 'fires' | 'silent') {
  const series = a[which].series.map((s) => ({ series: withEnsemble(s.series, ensemble), values: s.values }));
  const labels: Record<string, string> = { ...expectedLabels(a, series[0].series), severity: a.severity };
  const summary = a.summary.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? '');
  const exp = which === 'fires' ? [{ exp_labels: labels, exp_annotations: { summary, action: a.action } }] : [];
  return {
    name: `${a.name} ${which}`,
    interval: '1m',
    input_series: series,
    alert_rule_test: [{ eval_time: a.at ?? CASE_AT, alertname: a.name, exp_alerts: exp }],
  };
}

/** The labels the alert keeps from its (first) series: those its expression does not aggregate away. */
function expectedLabels(a: Alert, series: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of series.matchAll(/(\w+)="([^"]*)"/g)) if (a.labels.includes(m[1])) out[m[1]] = m[2];
  return out;
}

function scoped(expr: string, ensemble: string): string {
  return expr.replace(/\{E\}/g, `{${ensembleMatcher(ensemble)}}`).replace(/\{E,/g, `{${ensembleMatcher(ensemble)},`);
}

function withEnsemble(series: string, ensemble: string): string {
  return series.replace('{', `{${ensembleMatcher(ensemble)},`);
}
