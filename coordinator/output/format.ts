/** Plain text tables for stdout (results), no colour when stdout is not a TTY. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(headers), ...rows.map(fmt)].join('\n') + '\n';
}

export function age(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)}s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)}m`;
  return `${Math.round(ms / 3_600_000)}h`;
}

/** Splits a byte stream into lines and prefixes each with the host, so interleaved output stays readable. */
export function prefixer(host: string, width: number, out: NodeJS.WritableStream) {
  let rest = '';
  return {
    write(b: Buffer) {
      const lines = (rest + b.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) out.write(`${host.padEnd(width)} | ${l}\n`);
    },
    end() {
      if (rest) out.write(`${host.padEnd(width)} | ${rest}\n`);
      rest = '';
    },
  };
}
