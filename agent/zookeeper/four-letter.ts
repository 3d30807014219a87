import net from 'node:net';

/**
 * ZooKeeper's four-letter words over a plain socket: a fraction of the cost of `zkServer.sh status`
 * (which starts a JVM). The words must be in 4lw.commands.whitelist (zkfleet's default: srvr,mntr,ruok).
 */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 1500): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`${word}: no answer from ${host}:${port} in ${timeoutMs} ms`)),
    );
    socket.on('connect', () => socket.end(word));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

export interface SrvrInfo {
  mode?: string;
  zxid?: string;
  latency?: [number, number, number];
  connections?: number;
  outstanding?: number;
  nodeCount?: number;
  version?: string;
  notServing: boolean;
}

export function parseSrvr(text: string): SrvrInfo {
  if (text.includes('not currently serving requests')) return { notServing: true };
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const lat = field('Latency min/avg/max')?.split('/').map(Number);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return {
    mode: field('Mode'),
    zxid: field('Zxid'),
    latency: lat && lat.length === 3 ? [lat[0], lat[1], lat[2]] : undefined,
    connections: num(field('Connections')),
    outstanding: num(field('Outstanding')),
    nodeCount: num(field('Node count')),
    version: field('Zookeeper version')?.split(/[-,\s]/)[0],
    notServing: false,
  };
}

export function parseMntr(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1).trim());
  }
  return out;
}
