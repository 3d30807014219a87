import type { z } from 'zod';

/**
 * zod's own messages ("Invalid input: expected string, received number") in the project's words: what the
 * field must be, with an example, and what the file has instead. A message a schema wrote itself (a refine,
 * a regex's explanation) is kept as it is.
 */
export function issueWords(issue: z.core.$ZodIssue, value: unknown): string {
  if (!isZodsOwn(issue.message)) return issue.message;
  return withExample(zodIssueWords(issue, value), issue.path);
}

function zodIssueWords(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? `is missing: it must be ${kind(issue.expected)}` : typeWords(issue.expected, value);
    case 'invalid_value':
      return `is ${shown(value)}: it must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return sizeWords(issue.origin, 'at least', issue.minimum, issue.inclusive, value);
    case 'too_big':
      return sizeWords(issue.origin, 'at most', issue.maximum, issue.inclusive, value);
    case 'invalid_union':
      return `is ${shown(value)}: not one of the forms this key takes (see its row in README.md)`;
    case 'invalid_format':
      return `is ${shown(value)}: not in the expected form (${issue.format})`;
    default:
      return `is ${shown(value)}: not a value this key takes (see its row in README.md)`;
  }
}

const ZODS_OWN = /^(Invalid (input|option|string|key|element|value)|Too (small|big)|Expected |Unrecognized key)/;

function isZodsOwn(message: string): boolean {
  return ZODS_OWN.test(message);
}

const KINDS: Record<string, string> = {
  string: 'text (in quotes where YAML would read it as a number or as true/false)',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a section of keys',
};

/** What a key of the ensemble or an agent's file looks like when it is right, by its name. */
const EXAMPLES: Record<string, string> = {
  name: 'name: dubbo-zk',
  pki: 'pki: ./pki',
  path: 'path: ./artifacts/apache-zookeeper-3.8.0-bin.tar.gz',
  sha256: 'sha256: 9b1b…e3 (sha256sum FILE)',
  hosts: 'hosts: [{ name: hdss7-11, address: 10.4.7.11, agent: 10.4.7.11:7443, roles: [zookeeper, dns] }]',
  address: 'address: 10.4.7.11',
  agent: 'agent: 10.4.7.11:7443',
  listen: 'listen: 10.4.7.11:7443',
  roles: 'roles: [zookeeper, dns]',
  observer: 'observer: true',
  artifacts: 'artifacts: { jdk: { path: …, sha256: … }, zookeeper: { path: …, sha256: … } }',
  clientPort: 'clientPort: 2181',
  tickTime: 'tickTime: 2000',
  myids: 'myids: { hdss7-11: 1 }',
  extra: 'extra: { maxClientCnxns: 60 }',
  capabilities: 'capabilities: [zookeeper, dns, exec]',
};

function withExample(words: string, path: readonly PropertyKey[]): string {
  const key = [...path].reverse().find((k): k is string => typeof k === 'string');
  const example = key ? EXAMPLES[key] : undefined;
  return example ? `${words} (e.g. ${example})` : words;
}

function kind(expected: string): string {
  return KINDS[expected] ?? expected;
}

function typeWords(expected: string, value: unknown): string {
  const what =
    typeof value === 'object' || (expected === 'int' && typeof value === 'number') ? '' : `, ${received(value)}`;
  return `is ${shown(value)}${what}: it must be ${kind(expected)}`;
}

function sizeWords(origin: string, bound: string, limit: unknown, inclusive: boolean | undefined, value: unknown) {
  const strict = inclusive === false;
  if (origin === 'string') return limit === 1 && !strict ? 'must not be empty' : `must be ${bound} ${limit} characters`;
  if (origin === 'array' || origin === 'set') return `must have ${bound} ${limit} entries`;
  const than = strict ? (bound === 'at least' ? 'more than' : 'less than') : bound;
  return `is ${shown(value)}: it must be ${than} ${String(limit)}`;
}

function received(value: unknown): string {
  return typeof value === 'string' ? 'text' : `a ${typeof value}`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a section';
  return String(value);
}
