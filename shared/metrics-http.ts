import http from 'node:http';
import { ZkfError } from './errors';

/** A plain-HTTP /metrics endpoint (Prometheus text format), as exporters serve it. */
export function serveMetrics(listen: string, render: () => string): Promise<http.Server> {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(listen.slice(i + 1));
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(render());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: try /metrics\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) =>
      reject(new ZkfError('UNAVAILABLE', `cannot serve /metrics on ${listen}: ${err.message}`, { cause: err })),
    );
    server.listen(port, host, () => resolve(server));
  });
}
