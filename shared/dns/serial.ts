/**
 * SOA serial arithmetic (RFC 1982, SERIAL_BITS = 32) and the YYYYMMDDnn convention.
 * The new serial is today's YYYYMMDD01 when that is greater than the old one, else old + 1 (mod 2^32):
 * always strictly greater in the sense secondaries use, even when the old serial is ahead of today.
 */
const HALF = 2 ** 31;
const MOD = 2 ** 32;

export function serialGreater(a: number, b: number): boolean {
  return (a < b && b - a > HALF) || (a > b && a - b < HALF);
}

export function nextSerial(old: number, today: Date = new Date()): number {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + 1;
  const d = today.getUTCDate();
  const dated = (y * 10000 + m * 100 + d) * 100 + 1;
  if (dated < MOD && serialGreater(dated, old)) return dated;
  return (old + 1) % MOD;
}
