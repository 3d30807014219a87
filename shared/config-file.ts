import { promises as fs } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, visit, type Document } from 'yaml';
import { z } from 'zod';
import { ZkfError } from './errors';
import { logicalPathProblem, splitHostPort } from './names';
import { issueWords } from './schema-words';

/**
 * Parse a YAML file against a zod schema once, at start. Every problem is reported with the file, the
 * line and the field, all at once, so an operator fixes the file in one go:
 *   ensemble.yaml:14: hosts[2].address: "10.4.7.300" is not an IPv4 address
 */
export interface Located {
  doc: Document;
  lines: LineCounter;
  file: string;
}

export class ConfigError extends ZkfError {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super('CONFIG_INVALID', `${file} is not valid:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || '(top level)';
}

/** Line of the deepest node that exists along `p` (a missing key points at its parent). */
export function lineOf(loc: Located, p: readonly PropertyKey[]): number {
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? loc.doc.contents : loc.doc.getIn(p.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return loc.lines.linePos(node.range[0]).line;
    // A key whose value is null (`key:`) has no value node; find the pair's key instead.
    if (n > 0) {
      const parent = n === 1 ? loc.doc.contents : loc.doc.getIn(p.slice(0, n - 1) as unknown[], true);
      const pairs = (
        parent as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | null
      )?.items;
      const pair = pairs?.find((it) => it.key && it.key.value === p[n - 1]);
      if (pair?.key?.range) return loc.lines.linePos(pair.key.range[0]).line;
    }
  }
  return 1;
}

export function problem(loc: Located, p: readonly PropertyKey[], message: string): string {
  return `${loc.file}:${lineOf(loc, p)}: ${formatPath(p)}: ${message}`;
}

export function parseYamlText(text: string, file: string): { value: unknown; loc: Located } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const loc = { doc, lines, file };
  keepDigestsAsWritten(doc);
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `${file}:${lines.linePos(e.pos[0]).line}: YAML: ${e.message.split('\n')[0]}`),
    );
  }
  return { value: doc.toJS(), loc };
}

/**
 * A sha256 written without quotes is read by YAML as a number when it happens to hold only digits (or digits
 * and one `e`): `000…0` became 0, `12e34…` a float. What was meant is the text as written.
 */
function keepDigestsAsWritten(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      const { key, value } = pair;
      if (!isScalar(key) || key.value !== 'sha256' || !isScalar(value)) return;
      if (typeof value.value === 'number' && value.source) value.value = value.source;
    },
  });
}

/** The value the file holds at `p`, as the schema saw it (a section or a list only as its kind). */
function valueAt(loc: Located, p: readonly PropertyKey[]): unknown {
  const node = loc.doc.getIn(p as unknown[], true);
  if (isScalar(node)) return node.value;
  if (isMap(node)) return {};
  if (isSeq(node)) return [];
  return undefined;
}

export function zodProblems(loc: Located, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((k) =>
          problem(loc, [...issue.path, k], `unknown key "${k}" (check the spelling; see the reference in README.md)`),
        )
        .join('\n  ');
    }
    return problem(loc, issue.path, issueWords(issue, valueAt(loc, issue.path)));
  });
}

export async function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<{ config: z.output<S>; loc: Located }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ZkfError('CONFIG_INVALID', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
      cause: err,
    });
  }
  const { value, loc } = parseYamlText(text, file);
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ConfigError(file, zodProblems(loc, parsed.error));
  return { config: deepFreeze(parsed.data), loc };
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** host:port with a port in range; IPv4, a name, or [IPv6]. */
export const hostPort = z
  .string()
  .refine((s) => (splitHostPort(s)?.port ?? 0) > 0, 'must be host:port, e.g. 10.4.7.11:7443');

/** An address to listen on; port 0 takes any free port (tests, and the log says which). */
export const listenAddress = z
  .string()
  .refine((s) => splitHostPort(s) !== undefined, 'must be host:port, e.g. 10.4.7.11:7443');

/** An absolute path: no NUL or line break, no `..` segment. */
export const absolutePath = z.string().superRefine((p, ctx) => {
  const why = logicalPathProblem(p);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});
export const durationMs = z.number().int().positive();
