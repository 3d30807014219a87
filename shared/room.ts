import type { EventEmitter } from 'node:events';

/**
 * Until a writer that said "wait" has room again ('drain') or is gone (`gone`: 'close' for a stream, 'cancelled'
 * for a gRPC call). Both listeners go once either fires: left behind, one per full buffer of a long stream, they
 * piled up on it (and Node warned of a leak in the agent's journal).
 */
export function roomOrGone(writer: EventEmitter, gone: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      writer.off('drain', done).off(gone, done);
      resolve();
    };
    writer.once('drain', done).once(gone, done);
  });
}
