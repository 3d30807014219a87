/** Median and spread (min–max) of repeated runs, as the README reports them. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function stat(runs: number[]): Stat {
  const s = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const fmt = (x: Stat, unit: string, digits = 0) =>
  `${x.median.toFixed(digits)} ${unit} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)}, n=${x.runs.length})`;
