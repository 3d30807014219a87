import { labelSet } from '../../shared/prometheus-text';

/** Counters of the RPCs an agent served, for its /metrics endpoint and logs. */
export class RpcMetrics {
  private readonly calls = new Map<string, { ok: number; failed: number; totalMs: number }>();

  count(method: string, ok: boolean, ms: number): void {
    const c = this.calls.get(method) ?? { ok: 0, failed: 0, totalMs: 0 };
    if (ok) c.ok++;
    else c.failed++;
    c.totalMs += ms;
    this.calls.set(method, c);
  }

  /** Prometheus text format: the agent's RPCs, its own process figures, and the server's (`zookeeper`). */
  render(name: string, zk?: { restarts?: number; lastExit?: string }, zookeeper: string[] = []): string {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    const lines = [
      '# HELP zkfleet_agent_rpc_total RPCs served, by method and result.',
      '# TYPE zkfleet_agent_rpc_total counter',
      ...[...this.calls].flatMap(([m, c]) => [
        `zkfleet_agent_rpc_total${labelSet({ host: name, method: m, result: 'ok' })} ${c.ok}`,
        `zkfleet_agent_rpc_total${labelSet({ host: name, method: m, result: 'error' })} ${c.failed}`,
      ]),
      '# HELP zkfleet_agent_rpc_seconds_total Time spent serving RPCs, by method.',
      '# TYPE zkfleet_agent_rpc_seconds_total counter',
      ...[...this.calls].map(
        ([m, c]) =>
          `zkfleet_agent_rpc_seconds_total${labelSet({ host: name, method: m })} ${(c.totalMs / 1000).toFixed(3)}`,
      ),
      '# HELP zkfleet_zookeeper_restarts_total Times the supervisor started the server again after it stopped.',
      '# TYPE zkfleet_zookeeper_restarts_total counter',
      `zkfleet_zookeeper_restarts_total${labelSet({ host: name })} ${zk?.restarts ?? 0}`,
      ...zookeeper,
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# TYPE process_cpu_seconds_total counter',
      `process_cpu_seconds_total ${((cpu.user + cpu.system) / 1e6).toFixed(3)}`,
      '# TYPE process_heap_used_bytes gauge',
      `process_heap_used_bytes ${mem.heapUsed}`,
    ];
    return lines.join('\n') + '\n';
  }
}
