import { labelSet } from '../../shared/prometheus-text';

/** `zk_<name>\t<number>`: the lines that become series (text values, such as the version, do not). */
const FIGURE = /^zk_([^\t\n]+)\t(-?\d+(?:\.\d+)?)[ \t]*$/gm;

/**
 * ZooKeeper's own figures from `mntr` (every version, 3.4 included) as `zookeeper_*` series: `zk_<name>` becomes
 * `zookeeper_<name>`, numbers only, as the mntr-reading exporters name them; the server's state is a labelled 1.
 * Straight from the answer's text, one pass, no map of it: 3.8 answers 485 figures at every scrape, and what a
 * scrape allocates is what its garbage collection costs (README, Benchmarks).
 */
export function mntrSeries(answer: string, labels: Readonly<Record<string, string | number>>): string {
  // The same labels on every series: escaped once per scrape. No HELP or TYPE lines (Prometheus reads an untyped
  // sample as a gauge): 3.8's figures would more than double the scrape's size.
  const set = labelSet(labels);
  let out = '';
  for (const m of answer.matchAll(FIGURE)) out += `${seriesName(m[1])}${set} ${m[2]}\n`;
  const state = mntrField(answer, 'zk_server_state');
  if (state !== undefined) out += `zookeeper_server_state${labelSet({ ...labels, state })} 1\n`;
  return out;
}

const FIELDS = new Map<string, RegExp>();

/** One `mntr` field's text, e.g. `zk_server_state` or `zk_version`. */
export function mntrField(answer: string, key: string): string | undefined {
  let re = FIELDS.get(key);
  if (!re) FIELDS.set(key, (re = new RegExp(`^${key}\\t(.*?)[ \\t]*$`, 'm')));
  return re.exec(answer)?.[1];
}

/** mntr's keys are the same at every scrape: each is turned into a series name once. */
const NAMES = new Map<string, string>();

function seriesName(key: string): string {
  let name = NAMES.get(key);
  if (name === undefined) {
    name = `zookeeper_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (NAMES.size < 4096) NAMES.set(key, name);
  }
  return name;
}
