/**
 * The scenario of zk-poll-handle.test: a ZooKeeper client whose connection attempts keep timing out (a
 * listener that never answers) while this process opens a socket every millisecond, so that the numbers the
 * C client closes are soon taken by other sockets. Then every socket must still hear its echo. Prints a JSON
 * line: how many sockets, which are deaf (by fd).
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { zkLibrary } from '../../coordinator/zookeeper/client';

const SOCKETS = 1500;

async function main(): Promise<void> {
  const silent = net.createServer(() => undefined).listen(0, '127.0.0.1');
  const echo = net.createServer((s) => s.pipe(s)).listen(0, '127.0.0.1');
  await Promise.all([silent, echo].map((s) => new Promise((r) => s.once('listening', r))));
  const ZooKeeper = zkLibrary();
  const port = (s: net.Server) => (s.address() as net.AddressInfo).port;
  const zk = new ZooKeeper({
    connect: `127.0.0.1:${port(silent)}`,
    timeout: 300,
    debug_level: ZooKeeper.constants.ZOO_LOG_LEVEL_ERROR,
    host_order_deterministic: false,
    response_counter_limit: 100_000,
  });
  zk.init({});
  const socks: Array<net.Socket & { heard?: string }> = [];
  const opener = setInterval(() => {
    if (socks.length >= SOCKETS) return clearInterval(opener);
    const s: net.Socket & { heard?: string } = net.connect(port(echo), '127.0.0.1');
    s.on('error', () => undefined).on('data', (d) => (s.heard = (s.heard ?? '') + String(d)));
    socks.push(s);
  }, 1);
  await sleep(3000);
  clearInterval(opener);
  for (const s of socks) s.write('ping');
  await sleep(1500);
  const fd = (s: net.Socket) => (s as unknown as { _handle?: { fd?: number } })._handle?.fd;
  const deaf = socks.filter((s) => s.heard !== 'ping').map(fd);
  process.stdout.write(`${JSON.stringify({ sockets: socks.length, deaf })}\n`);
  process.exit(0);
}

void main();
