import type * as grpc from '@grpc/grpc-js';
import type http2 from 'node:http2';
import { tlsReason } from './pki/tls-reasons';

const WINDOW = 4 << 20;

/**
 * Widen HTTP/2 flow control on a server's connections. grpc-js keeps Node's default 64 KiB receive window
 * and has no server option for it; with that window a client stream (an artifact upload) waits for a
 * WINDOW_UPDATE every 64 KiB and tops out near 40 MB/s here. The hook uses grpc-js's internal map of
 * http2 servers; if a grpc-js upgrade removes it, uploads only get slower, and a warning says so.
 */
export function tuneServer(
  server: grpc.Server,
  log: { warn(msg: string, meta?: object): void; debug(msg: string, meta?: object): void },
): void {
  widenServerFlowControl(server, (msg) => log.warn(msg));
  // grpc-js drops TLS handshake failures silently; an operator needs to see who was refused and why.
  const servers = (server as unknown as { http2Servers?: Map<http2.Http2SecureServer, unknown> }).http2Servers;
  for (const h2 of servers?.keys() ?? []) {
    // grpc-js sets TCP_NODELAY on its client sockets but not on the server's: without it each small
    // response waits on Nagle's algorithm (3-10 ms per call here).
    h2.on('connection', (socket: import('node:net').Socket) => socket.setNoDelay(true));
    const refused = (err: Error & { code?: string }, peer: string | undefined) => {
      // A port probe (connect, then close) is not a refusal worth a warning.
      if (err.code === 'ECONNRESET' || /socket hang up/.test(err.message))
        return log.debug('client left during the TLS handshake', { peer });
      log.warn('TLS handshake refused', {
        peer,
        reason: tlsReason(err, 'the client certificate') ?? err.message,
        error: err.message,
      });
    };
    h2.on('tlsClientError', (err: Error & { code?: string }, socket: { remoteAddress?: string }) =>
      refused(err, socket.remoteAddress),
    );
    // With TLS 1.3 the client's certificate is checked after the server's side of the handshake is done:
    // its refusal is an error on the established socket.
    h2.on('secureConnection', (socket: import('node:tls').TLSSocket) => {
      const peer = socket.remoteAddress;
      socket.on('error', (err: Error & { code?: string }) => refused(err, peer));
    });
  }
}

function widenServerFlowControl(server: grpc.Server, warn: (msg: string) => void): void {
  const servers = (server as unknown as { http2Servers?: Map<http2.Http2SecureServer, unknown> }).http2Servers;
  if (!(servers instanceof Map) || !servers.size) {
    warn('cannot widen the HTTP/2 window (grpc-js internals changed): uploads run at the default window');
    return;
  }
  for (const h2 of servers.keys()) {
    h2.on('session', (session: http2.ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(WINDOW);
        session.settings({ initialWindowSize: WINDOW });
      } catch {
        /* a session that closed at once */
      }
    });
  }
}
