import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import type { LogChunk } from '../../shared/generated/wire';
import type { StateFile, ZooKeeperState } from '../daemon/state';
import { LOG_FILE } from './logging';

/** The log a server writes now: the rotated log, or the console output of a server that logs nowhere else. */
async function currentLog(zk: ZooKeeperState): Promise<string> {
  const rolled = path.join(zk.logDir, LOG_FILE);
  return (await fs.stat(rolled).catch(() => undefined)) ? rolled : path.join(zk.logDir, 'zookeeper.out');
}

/** The last `lines` lines of a file, read backwards in blocks (a large log is not read whole). */
async function lastLines(file: string, lines: number): Promise<{ text: Buffer; end: number }> {
  const fh = await fs.open(file, 'r').catch(() => undefined);
  if (!fh) return { text: Buffer.alloc(0), end: 0 };
  try {
    const { size } = await fh.stat();
    let start = size;
    let buf = Buffer.alloc(0);
    while (start > 0 && buf.toString('utf8').split('\n').length <= lines + 1) {
      const n = Math.min(64 << 10, start);
      start -= n;
      const block = Buffer.alloc(n);
      await fh.read(block, 0, n, start);
      buf = Buffer.concat([block, buf]);
    }
    const text = buf
      .toString('utf8')
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
    return { text: Buffer.from(text), end: size };
  } finally {
    await fh.close();
  }
}

/**
 * The last lines, from the file rolled just before too when the current one is shorter: right after a rotation the
 * current file holds a line or two, and the lines asked for are in `<file>.1` (log4j's and logback's first backup).
 */
async function lastLinesRolled(file: string, lines: number): Promise<{ text: Buffer; end: number }> {
  const current = await lastLines(file, lines);
  const have = current.text.toString('utf8').split('\n').filter(Boolean).length;
  if (have >= lines) return current;
  const before = await lastLines(`${file}.1`, lines - have);
  return { text: Buffer.concat([before.text, current.text]), end: current.end };
}

/**
 * The server's log for `coordinator logs`: its last lines, then with `follow` what it writes next, until the
 * caller goes away. A rotation (the file replaced or shorter than what was read) starts the new file over.
 */
export async function streamLog(
  state: StateFile,
  req: { lines: number; follow: boolean },
  emit: (c: LogChunk) => void,
  signal: AbortSignal,
): Promise<LogChunk | undefined> {
  const zk = (await state.read()).zookeeper;
  if (!zk) throw new ZkfError('NOT_FOUND', 'ZooKeeper is not configured on this host yet');
  let file = await currentLog(zk);
  const first = await lastLinesRolled(file, req.lines || 50);
  emit({ data: first.text, file });
  if (!req.follow) return undefined;
  let pos = first.end;
  let ino = (await fs.stat(file).catch(() => undefined))?.ino;
  while (!signal.aborted) {
    await sleep(300, undefined, { signal }).catch(() => undefined);
    const now = await currentLog(zk);
    const st = await fs.stat(now).catch(() => undefined);
    if (!st) continue;
    if (now !== file || st.ino !== ino || st.size < pos) [file, ino, pos] = [now, st.ino, 0];
    if (st.size > pos) {
      const fh = await fs.open(file, 'r');
      const data = Buffer.alloc(Math.min(st.size - pos, 1 << 20));
      await fh.read(data, 0, data.length, pos).finally(() => fh.close());
      pos += data.length;
      emit({ data, file });
    }
  }
  return undefined;
}
