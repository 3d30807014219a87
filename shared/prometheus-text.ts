/**
 * Prometheus' text exposition format, the parts zkfleet writes by hand: label values escaped as the format asks
 * (a backslash, a double quote and a line feed), so a disk path or a host name can never break a scrape.
 */
export function labelValue(v: string | number): string {
  return String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{host="hdss7-11",method="Facts"}`, or '' for no labels. */
export function labelSet(labels: Readonly<Record<string, string | number>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
