import { ZkfError } from '../errors';
import { nextSerial } from './serial';

/**
 * A minimal BIND zone file reader, enough to upsert A records and roll the SOA serial while keeping every
 * other byte of the file as it was: edits are (offset, length, text) splices of the original text.
 */
interface Token {
  text: string;
  start: number;
  end: number;
}
interface Entry {
  tokens: Token[];
  start: number; // offset of the first character of the entry's first line
  end: number; // offset just past the entry's last newline
  explicitOwner: boolean; // the entry's first line does not start with blank space
  line: number; // 1-based
}

const CLASSES = new Set(['IN', 'CH', 'HS', 'CS']);
const TTL = /^[0-9]+[smhdwSMHDW]?([0-9]+[smhdwSMHDW])*$/;

function entries(text: string): Entry[] {
  const out: Entry[] = [];
  const cur = { i: 0, line: 1 };
  while (cur.i < text.length) out.push(readEntry(text, cur));
  return out;
}

/** One entry: a line, or lines joined by parentheses; comments dropped, quoted strings kept whole. */
function readEntry(text: string, cur: { i: number; line: number }): Entry {
  const start = cur.i;
  const line = cur.line;
  const explicitOwner = text[start] !== ' ' && text[start] !== '\t';
  const tokens: Token[] = [];
  let depth = 0;
  let word: Token | undefined;
  const flush = () => {
    if (word) tokens.push(word);
    word = undefined;
  };
  for (; cur.i < text.length; cur.i++) {
    const c = text[cur.i];
    if (c === '\n') {
      flush();
      cur.line++;
      if (depth === 0) {
        cur.i++;
        break;
      }
    } else if (c === ';') {
      flush();
      cur.i = commentEnd(text, cur.i);
    } else if (c === '"') {
      flush();
      const q = quoted(text, cur.i);
      tokens.push(q);
      cur.i = q.end - 1;
    } else if (c === '(' || c === ')') {
      flush();
      depth = Math.max(0, depth + (c === '(' ? 1 : -1));
    } else if (c === ' ' || c === '\t' || c === '\r') {
      flush();
    } else {
      word ??= { text: '', start: cur.i, end: cur.i };
      word.text += c;
      word.end = cur.i + 1;
    }
  }
  flush();
  return { tokens, start, end: cur.i, explicitOwner, line };
}

/** The last character of a comment (the one before its line break). */
function commentEnd(text: string, i: number): number {
  while (i + 1 < text.length && text[i + 1] !== '\n') i++;
  return i;
}

/** A quoted string from its opening quote to its closing one (backslash escapes skipped). */
function quoted(text: string, s: number): Token {
  let i = s + 1;
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
    if (text[i] === '\\') i++;
    i++;
  }
  return { text: text.slice(s, i + 1), start: s, end: i + 1 };
}

function absolute(name: string, origin: string): string {
  const n = name.toLowerCase();
  if (n === '@') return origin;
  return n.endsWith('.') ? n : `${n}.${origin}`;
}

interface Rec {
  entry: Entry;
  owner: string;
  type: string;
  rdata: Token[];
}

function records(text: string, zone: string): { recs: Rec[]; originAtEnd: string; all: Entry[] } {
  let origin = zone.toLowerCase().replace(/\.?$/, '.');
  let owner = origin;
  const recs: Rec[] = [];
  const all = entries(text);
  for (const e of all) {
    const t = e.tokens;
    if (!t.length) continue;
    const first = t[0].text.toUpperCase();
    if (first === '$ORIGIN' && t[1]) {
      origin = absolute(t[1].text, origin);
      continue;
    }
    if (first.startsWith('$')) continue;
    let k = 0;
    if (e.explicitOwner) {
      owner = absolute(t[0].text, origin);
      k = 1;
    }
    while (k < t.length && (CLASSES.has(t[k].text.toUpperCase()) || TTL.test(t[k].text))) k++;
    if (k >= t.length) continue;
    recs.push({ entry: e, owner, type: t[k].text.toUpperCase(), rdata: t.slice(k + 1) });
  }
  return { recs, originAtEnd: origin, all };
}

export interface ARecord {
  name: string;
  address: string;
}
export interface ZoneEdit {
  changed: boolean;
  text: string;
  oldSerial: number;
  newSerial: number;
  changes: string[];
}

/**
 * Add or change the `wanted` A records and take out every A record of the names in `remove`, keeping every
 * other byte; any change rolls the serial. A removed line whose owner the next line inherits hands it on.
 */
export function upsertARecords(
  text: string,
  zone: string,
  wanted: ARecord[],
  today: Date = new Date(),
  remove: string[] = [],
): ZoneEdit {
  const origin = zone.toLowerCase().replace(/\.?$/, '.');
  const { recs, originAtEnd, all } = records(text, zone);
  const soa = recs.find((r) => r.type === 'SOA' && r.owner === origin);
  if (!soa || soa.rdata.length < 3 || !/^\d+$/.test(soa.rdata[2].text)) {
    throw new ZkfError('ZONE_INVALID', `no SOA record with a numeric serial for ${origin} in the zone file`);
  }
  const oldSerial = Number(soa.rdata[2].text);
  const { splices, appends, changes } = upserts(recs, all, origin, originAtEnd, wanted);
  for (const cut of removals(recs, all, origin, remove)) {
    splices.push(...cut.splices);
    changes.push(cut.change);
  }
  if (!changes.length) return { changed: false, text, oldSerial, newSerial: oldSerial, changes };
  const newSerial = nextSerial(oldSerial, today);
  splices.push({ start: soa.rdata[2].start, end: soa.rdata[2].end, text: String(newSerial) });
  let out = text;
  for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  if (appends.length) {
    if (out.length && !out.endsWith('\n')) out += '\n';
    out += appends.join('');
  }
  changes.push(`serial ${oldSerial}→${newSerial}`);
  return { changed: true, text: out, oldSerial, newSerial, changes };
}

type Splice = { start: number; end: number; text: string };

/** The splices and appended lines that make each wanted A record the only one of its name. */
function upserts(recs: Rec[], all: Entry[], origin: string, originAtEnd: string, wanted: ARecord[]) {
  const splices: Splice[] = [];
  const appends: string[] = [];
  const changes: string[] = [];
  for (const w of wanted) {
    const name = absolute(w.name, origin);
    const label =
      name === origin
        ? '@'
        : name.endsWith(`.${origin}`) && originAtEnd === origin
          ? name.slice(0, -origin.length - 1)
          : name;
    const existing = recs.filter((r) => r.type === 'A' && r.owner === name);
    if (!existing.length) {
      appends.push(`${label.padEnd(10)} A    ${w.address}\n`);
      changes.push(`${name} A ${w.address} added`);
      continue;
    }
    const [keep, ...extra] = existing;
    const addr = keep.rdata[0];
    if (addr?.text !== w.address) {
      splices.push({ start: addr.start, end: addr.end, text: w.address });
      changes.push(`${name} A ${addr?.text}→${w.address}`);
    }
    for (const r of extra) {
      const idx = all.indexOf(r.entry);
      const next = all.slice(idx + 1).find((e) => e.tokens.length);
      if (r.entry.explicitOwner && next && !next.explicitOwner) {
        // Removing this line would hand its owner name to the next one: rewrite it instead.
        if (r.rdata[0]?.text !== w.address)
          splices.push({ start: r.rdata[0].start, end: r.rdata[0].end, text: w.address });
      } else {
        splices.push({ start: r.entry.start, end: r.entry.end, text: '' });
      }
      changes.push(`${name} A ${r.rdata[0]?.text} removed`);
    }
  }
  return { splices, appends, changes };
}

/** The splices that take out every A record of the names in `remove`, handing an inherited owner on. */
function removals(recs: Rec[], all: Entry[], origin: string, remove: string[]) {
  const out: Array<{ splices: Splice[]; change: string }> = [];
  for (const gone of remove) {
    const name = absolute(gone, origin);
    for (const r of recs.filter((x) => x.type === 'A' && x.owner === name)) {
      const next = all.slice(all.indexOf(r.entry) + 1).find((e) => e.tokens.length);
      const splices = [{ start: r.entry.start, end: r.entry.end, text: '' }];
      if (r.entry.explicitOwner && next && !next.explicitOwner) {
        splices.push({ start: next.start, end: next.start, text: r.entry.tokens[0].text });
      }
      out.push({ splices, change: `${name} A ${r.rdata[0]?.text} removed` });
    }
  }
  return out;
}

export function zoneSerial(text: string, zone: string): number | undefined {
  const origin = zone.toLowerCase().replace(/\.?$/, '.');
  const soa = records(text, zone).recs.find((r) => r.type === 'SOA' && r.owner === origin);
  return soa?.rdata[2] ? Number(soa.rdata[2].text) : undefined;
}
