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
  // The same labels on every series (3.8's mntr has hundreds): escaped once per scrape. No HELP or TYPE lines
  // (Prometheus reads an untyped sample as a gauge): 3.8's figures would more than double the scrape's size, and
  // the size is most of an agent's CPU per scrape (README, Benchmarks).
  const set = labelSet(labels);
  for (const [key, value] of mntr) {
    if (!key.startsWith('zk_') || key === 'zk_version') continue;
    const name = seriesName(key);
    if (key === 'zk_server_state') {
      out.push(`${name}${labelSet({ ...labels, state: value })} 1`);
    } else if (/^-?\d+(\.\d+)?$/.test(value)) {
      out.push(`${name}${set} ${value}`);
    }
  }
  return out;
}

/** mntr's keys are the same at every scrape: each is turned into a series name once. */
const NAMES = new Map<string, string>();

function seriesName(key: string): string {
  let name = NAMES.get(key);
  if (name === undefined) {
    name = `zookeeper_${key.slice(3).replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (NAMES.size < 4096) NAMES.set(key, name);
  }
  return name;
}
