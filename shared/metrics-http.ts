import http from 'node:http';
import { ZkfError } from './errors';
import { splitHostPort } from './names';

/** A plain-HTTP /metrics endpoint (Prometheus text format), as exporters serve it. */
export function serveMetrics(listen: string, render: () => string | Promise<string>): Promise<http.Server> {
  const { host, port } = splitHostPort(listen) ?? { host: listen, port: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      void Promise.resolve(render()).then((text) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(text);
      });
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
