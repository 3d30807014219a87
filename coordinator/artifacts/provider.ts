import { createReadStream } from 'node:fs';
import { ZkfError } from '../../shared/errors';
import { parseVersion } from './versions';

/**
 * ZooKeeper's own PrometheusMetricsProvider (`zookeeper.prometheus`): from 3.6.0, and only where the tree
 * carries its jars. Upstream tarballs have them in lib/; trees assembled from Debian's packages do not (Debian
 * ships only the provider's pom, and no simpleclient jars). Checked on the tarball, before any host is touched.
 */
export const PROVIDER_JARS = [
  'zookeeper-prometheus-metrics',
  'simpleclient',
  'simpleclient_common',
  'simpleclient_hotspot',
  'simpleclient_servlet',
];

/** Why the provider cannot run from this tree, or undefined. `lib`: the file names in the tree's lib/. */
export function providerProblem(version: string, lib: string[]): string | undefined {
  const [major, minor] = parseVersion(version) ?? [];
  if (major < 3 || (major === 3 && minor < 6)) {
    const mntr = "its mntr figures are on the agents' /metrics";
    return `ZooKeeper ${version} has no PrometheusMetricsProvider (it came in 3.6.0); ${mntr}`;
  }
  const missing = PROVIDER_JARS.filter((jar) => !hasJar(lib, jar)).map((jar) =>
    jar === 'zookeeper-prometheus-metrics' ? `${jar}-${version}.jar` : `${jar}-<version>.jar`,
  );
  if (!missing.length) return undefined;
  return (
    `the ZooKeeper tarball lacks ${missing.map((j) => `lib/${j}`).join(', ')}, which the PrometheusMetricsProvider ` +
    "needs: upstream tarballs carry them (a tree assembled from Debian's packages does not); use one, or leave " +
    'zookeeper.prometheus out (the agents serve the mntr figures either way)'
  );
}

/**
 * Whether lib/ holds the jar `name`, versioned (`netty-codec-4.1.73.Final.jar`) or not (`netty-codec.jar`);
 * `netty-codec-http-4.1.48.Final.jar` is not `netty-codec`.
 */
export function hasJar(lib: string[], name: string): boolean {
  return lib.some(
    (n) => n === `${name}.jar` || (n.startsWith(`${name}-`) && /^-\d[\w.]*\.jar$/.test(n.slice(name.length))),
  );
}

/**
 * The Netty jars TLS needs (quorum and client: NettyServerCnxnFactory and X509Util), beside the netty-handler,
 * -transport, -buffer and -common every 3.5+ tree has. Upstream tarballs carry them; a tree assembled from Debian's
 * packages lacks the three below (`NoClassDefFoundError: io/netty/handler/codec/ByteToMessageDecoder`).
 */
export const TLS_JARS = ['netty-codec', 'netty-resolver', 'netty-transport-native-unix-common'];

/** Why this tree cannot serve TLS, or undefined. */
export function tlsJarsProblem(lib: string[]): string | undefined {
  const missing = TLS_JARS.filter((jar) => !hasJar(lib, jar)).map((jar) => `lib/${jar}-<version>.jar`);
  if (!missing.length) return undefined;
  return (
    `the ZooKeeper tarball lacks ${missing.join(', ')}, which TLS needs (Netty): upstream tarballs carry them; ` +
    "a tree assembled from Debian's packages does not (they are in libnetty-java's /usr/share/java)"
  );
}

/** httpHost (bind the provider to the host's address) exists from 3.8.0. */
export function providerHasHttpHost(version: string): boolean {
  const [major, minor] = parseVersion(version) ?? [];
  return major > 3 || (major === 3 && minor >= 8);
}

/** The names of the files in the tarball's `<top>/lib/`, read on the operator's machine. */
export async function libNames(archive: string, signal?: AbortSignal): Promise<string[]> {
  const { Parser } = await import('tar');
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    const parser = new Parser({
      onReadEntry(entry) {
        const m = /^(?:\.\/)?[^/]+\/lib\/([^/]+)$/.exec(entry.path);
        if (m) names.push(m[1]);
        entry.resume();
      },
    });
    parser.on('end', () => resolve(names));
    parser.on('error', (err: Error) => reject(new ZkfError('UNSAFE_ARCHIVE', `${archive}: ${err.message}`)));
    const source = createReadStream(archive, signal ? { signal } : {});
    source.on('error', (err) => reject(new ZkfError('NOT_FOUND', `cannot read ${archive}: ${err.message}`)));
    source.pipe(parser);
  });
}
