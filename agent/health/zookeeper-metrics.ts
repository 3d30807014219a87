import { labelSet } from '../../shared/prometheus-text';

/**
 * ZooKeeper's own figures from `mntr` (every version, 3.4 included) as `zookeeper_*` series: `zk_<name>` becomes
 * `zookeeper_<name>`, numbers only, as the mntr-reading exporters name them; the server's state is a labelled 1.
 */
export function mntrSeries(
  mntr: ReadonlyMap<string, string>,
  labels: Readonly<Record<string, string | number>>,
): string[] {
  const out: string[] = [];
  for (const [key, value] of mntr) {
    if (!key.startsWith('zk_') || key === 'zk_version') continue;
    const name = `zookeeper_${key.slice(3).replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (key === 'zk_server_state') {
      out.push(`# TYPE ${name} gauge`, `${name}${labelSet({ ...labels, state: value })} 1`);
    } else if (/^-?\d+(\.\d+)?$/.test(value)) {
      out.push(
        `# HELP ${name} ZooKeeper's mntr ${key}.`,
        `# TYPE ${name} gauge`,
        `${name}${labelSet(labels)} ${value}`,
      );
    }
  }
  return out;
}
