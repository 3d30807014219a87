import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeployResult } from '../../coordinator/deploy';
import { alertTable } from '../../coordinator/monitoring/alerts';
import { panelQuery, PANELS } from '../../coordinator/monitoring/dashboard';
import { cli, COORDINATOR, withSandbox } from '../helpers';
import { promAlerts, promQuery, promTargets, startPrometheus } from '../sandbox/prometheus';
import { ensembleYaml, OPS_HOST, RUNBOOK_HOSTS } from '../sandbox/sandbox';

const SCRAPE_S = 2;

/**
 * A real Prometheus (Debian's) on the ops host, fed by `coordinator monitoring`: every target up, every
 * dashboard panel's query answered with data, and the server-down alert firing for a stopped server within its
 * `for` plus two scrape intervals, then resolving once it serves again.
 */
test(
  'a real Prometheus scrapes the sandbox: targets up, panels with data, server-down fires and resolves',
  { timeout: 900_000 },
  async (t) => {
    const sb = await withSandbox(t, { prefix: 'zkp', subnet: 86, hosts: [...RUNBOOK_HOSTS, OPS_HOST] });
    const file = sb.ensembleFile;
    const runbook = RUNBOOK_HOSTS.map((h) => h.name);
    // The ops host runs Prometheus here; the ensemble is the runbook's three hosts (no image build).
    const write = (extra = '') =>
      fs.writeFile(
        file,
        ensembleYaml(sb, '', (h) => runbook.includes(h.name)).replace(/^image:\n( {2}.*\n)+/m, '') + extra,
      );

    await t.test("ZooKeeper's provider on a tree without its jars: refused before anything changes", async () => {
      await write();
      const yaml = (await fs.readFile(file, 'utf8')).replace(
        '  extra: {}\n',
        '  extra: {}\n  prometheus: { port: 7000 }\n',
      );
      await fs.writeFile(file, yaml);
      const r = await cli(['deploy', file, '--json']);
      assert.equal(r.code, 1, r.stderr);
      const result = JSON.parse(r.stdout) as DeployResult;
      assert.equal(result.error?.code, 'ARTIFACT_MISSING');
      assert.match(
        result.error!.message,
        /lacks lib\/zookeeper-prometheus-metrics-3\.8\.0\.jar, lib\/simpleclient-<version>\.jar/,
      );
      assert.ok(
        result.hosts.every((h) => !h.changed),
        'a host was changed',
      );
    });

    await t.test('deployed, served, scraped: every target up, every panel has data', async () => {
      await write();
      const r = await cli(['deploy', file]);
      assert.equal(r.code, 0, r.stderr);
      const serve = path.join(sb.dir, 'serve-backup.yaml');
      await fs.writeFile(
        serve,
        (await fs.readFile(sb.serveConfig, 'utf8')) + `backup: { ensemble: ${file}, every: 6h }\n`,
      );
      const server = spawn(process.execPath, [COORDINATOR, 'serve', '--config', serve], { stdio: 'ignore' });
      t.after(() => server.kill('SIGKILL'));
      const out = path.join(sb.dir, 'monitoring');
      const m = await cli(['monitoring', file, '--out', out, '--scrape-interval', `${SCRAPE_S}s`]);
      assert.equal(m.code, 0, m.stderr);
      const prometheus = await startPrometheus(sb, out);
      t.after(() => prometheus.stop());
      const url = prometheus.url;
      const expected = runbook.length + 1; // the agents of the file and the coordinator server
      await waitFor(async () => {
        const targets = await promTargets(url);
        const down = targets.filter((x) => x.health !== 'up').map((x) => `${x.scrapeUrl} ${x.health} ${x.lastError}`);
        return targets.length === expected && !down.length
          ? undefined
          : `${targets.length} targets, not up: ${down.join('; ')}`;
      }, 60_000);
      // A rate needs two samples in its window.
      await sleep(3 * SCRAPE_S * 1000);
      for (const p of PANELS) {
        const result = await promQuery(url, panelQuery(p));
        assert.ok(result.length > 0, `panel "${p.title}" (${panelQuery(p)}) has no data`);
      }
      const rules = (await (await fetch(`${url}/api/v1/rules`)).json()) as {
        data: { groups: Array<{ rules: unknown[] }> };
      };
      assert.equal(rules.data.groups[0].rules.length, alertTable(3).length, 'the rules loaded');

      const down = alertTable(3).find((a) => a.name === 'ZooKeeperServerDown')!;
      const forS = parseInt(down.for!, 10) * 60;
      const stop = await cli(['stop', file, '--host', 'hdss7-12']);
      assert.equal(stop.code, 0, stop.stderr);
      const stopped = Date.now();
      const firing = async () =>
        (await promAlerts(url)).some(
          (a) => a.labels.alertname === down.name && a.labels.host === 'hdss7-12' && a.state === 'firing',
        );
      // Within its `for` plus two scrape intervals (one to see it, one evaluation), and a second of slack.
      const limitMs = (forS + 2 * SCRAPE_S + 1) * 1000;
      await waitFor(async () => ((await firing()) ? undefined : 'ZooKeeperServerDown not firing'), limitMs + 10_000);
      const tookMs = Date.now() - stopped;
      t.diagnostic(`ZooKeeperServerDown fired ${(tookMs / 1000).toFixed(1)} s after the stop (for: ${down.for})`);
      assert.ok(tookMs <= limitMs, `it fired after ${tookMs} ms, later than ${limitMs} ms`);
      const alerts = await promAlerts(url);
      assert.deepEqual(
        alerts.filter((a) => a.state === 'firing').map((a) => a.labels.alertname),
        [down.name],
        'no other alert fires for one follower down',
      );
      const start = await cli(['start', file, '--host', 'hdss7-12']);
      assert.equal(start.code, 0, start.stderr);
      await waitFor(async () => ((await firing()) ? 'still firing' : undefined), 4 * SCRAPE_S * 1000 + 5000);
    });

    await t.test('status --watch refreshes the view until interrupted', async () => {
      const r = await cli(['status', file, '--watch', '1', '--json'], { signalAfterMs: 3500 });
      const views = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { at: string; quorum: boolean });
      assert.ok(views.length >= 2, `${views.length} views in 3.5 s`);
      assert.ok(views.every((v) => v.quorum));
      assert.notEqual(views[0].at, views[1].at);
      assert.equal(r.code, 0, r.stderr);
    });
  },
);

async function waitFor(check: () => Promise<string | undefined>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let why: string | undefined = 'not checked';
  while (Date.now() < deadline) {
    why = await check().catch((err: Error) => err.message);
    if (!why) return;
    await sleep(250);
  }
  assert.fail(`${why} after ${timeoutMs} ms`);
}
