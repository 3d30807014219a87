import type * as grpc from '@grpc/grpc-js';
import type http2 from 'node:http2';

const WINDOW = 4 << 20;

/**
 * Widen HTTP/2 flow control on a server's connections. grpc-js keeps Node's default 64 KiB receive window
 * and has no server option for it; with that window a client stream (an artifact upload) waits for a
 * WINDOW_UPDATE every 64 KiB and tops out near 40 MB/s here. The hook uses grpc-js's internal map of
 * http2 servers; if a grpc-js upgrade removes it, uploads only get slower, and a warning says so.
 */
export function widenServerFlowControl(server: grpc.Server, warn: (msg: string) => void): void {
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
