import { spawn } from 'node:child_process';
import { openSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxState } from './state';

/**
 * A real Prometheus (Debian's package) for the sandbox: it runs in the ops host's network namespace (the
 * runbook's hdss7-200; the machine's own when the sandbox has none) with `coordinator monitoring`'s output, and
 * scrapes the hosts over the sandbox network like a Prometheus of the user's would. Its storage and log live
 * in the sandbox directory; `sandbox down` kills it.
 */
export interface SandboxPrometheus {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const PORT = 9090;

export async function startPrometheus(state: SandboxState, configDir: string): Promise<SandboxPrometheus> {
  const ops = state.hosts.find((h) => h.roles.includes('image'));
  const address = ops ? ops.address : state.gateway;
  const data = path.join(state.dir, 'prometheus');
  await fs.mkdir(data, { recursive: true });
  const args = [
    `--config.file=${path.join(configDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${data}/`,
    `--web.listen-address=${address}:${PORT}`,
    '--web.enable-lifecycle',
  ];
  const log = openSync(path.join(state.dir, 'prometheus.log'), 'a');
  const command = ops
    ? ['ip', 'netns', 'exec', ops.ns, '/usr/bin/prometheus', ...args]
    : ['/usr/bin/prometheus', ...args];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', log, log], detached: true });
  child.unref();
  const url = `http://${address}:${PORT}`;
  await waitReady(url, path.join(state.dir, 'prometheus.log'));
  return {
    url,
    pid: child.pid!,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // gone
      }
    },
  };
}

async function waitReady(url: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/-/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(200);
  }
  const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
  throw new Error(`Prometheus at ${url} did not become ready in 30 s; its log ends:\n${tail}`);
}

/** An instant query through the HTTP API: the result vector. */
export async function promQuery(
  url: string,
  query: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as {
    status: string;
    error?: string;
    data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (r.status !== 'success') throw new Error(`query ${query}: ${r.error}`);
  return r.data!.result;
}

export async function promTargets(
  url: string,
): Promise<Array<{ labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }>> {
  const r = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as {
    data: {
      activeTargets: Array<{ labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }>;
    };
  };
  return r.data.activeTargets;
}

export async function promAlerts(url: string): Promise<Array<{ labels: Record<string, string>; state: string }>> {
  const r = (await (await fetch(`${url}/api/v1/alerts`)).json()) as {
    data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
  };
  return r.data.alerts;
}
