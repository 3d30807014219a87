import { isIPv4 } from 'node:net';
import path from 'node:path';

/**
 * The vocabulary of names and values both sides check: the ensemble file refuses them before any host is
 * touched, and the agent refuses them again at its door (it trusts no caller to have checked).
 */

/** A host name as a certificate CN and a file name: one DNS label's length, letters, digits, . _ - */
export const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** A DNS name (zone or record), optionally absolute. */
export const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/** An image reference as docker and buildah take it: registry/repo:tag or @digest, nothing a shell reads. */
export const IMAGE_REF = /^[a-z0-9]+([._:/@-]+[A-Za-z0-9]+)*$/;

/** A tz database name such as Asia/Shanghai. */
export const TIMEZONE = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;

/** JVM flags go into java.env, which zkEnv.sh sources: no quotes, $, backticks or line breaks. */
export const JVM_FLAGS = /^[A-Za-z0-9_\-=.:,/ +@%]*$/;

export function isIPv4Address(s: string): boolean {
  return isIPv4(s);
}

/** `host:port` (IPv4, a name, or [IPv6]) into its parts; undefined when it is not one. */
export function splitHostPort(address: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(address);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** Why a path on a host is refused, or undefined: absolute, no NUL or line break, no `..` segment. */
export function logicalPathProblem(p: string): string | undefined {
  if (!path.posix.isAbsolute(p)) return 'must be an absolute path';
  if (/[\0\r\n]/.test(p)) return 'must not contain a NUL or a line break';
  if (p.split('/').includes('..')) return 'must not contain a .. segment';
  return undefined;
}

/** The version in a ZooKeeper archive's top directory: zookeeper-3.4.13, apache-zookeeper-3.8.0-bin. */
export function zookeeperVersionFromName(top: string): string | undefined {
  return /^(?:apache-)?zookeeper-(\d+\.\d+\.\d+[^/]*?)(?:-bin)?$/.exec(top)?.[1];
}

/**
 * Order by code point, the same on every machine: localeCompare depends on the locale, and its first call
 * loads ICU's collation data (~90 ms of a no-op deploy here). Host names and ISO timestamps are ASCII.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
