import { TLS_JARS } from '../../coordinator/artifacts/provider';
import { existsSync, promises as fs } from 'node:fs';
import { sha256File } from '../../shared/hash';
import { SerialQueue } from '../../shared/serial-queue';
import path from 'node:path';
import { sh } from './sh';

/**
 * Test tarballs in the upstream layouts, assembled from Debian's packages (no Apache or Oracle download is
 * reachable here). Built once into the cache directory and reused.
 */
export const CACHE_DIR = path.resolve(__dirname, '../../../.cache/artifacts');

export interface Artifact {
  path: string;
  sha256: string;
}

// One build per artifact per process: tests ask for several at once (Promise.all), and two builds of one
// artifact would write the same temporary file.
const building = new Map<string, Promise<Artifact>>();

function cached(name: string, build: (out: string, work: string) => Promise<void>): Promise<Artifact> {
  let pending = building.get(name);
  if (!pending) {
    pending = buildOnce(name, build);
    building.set(name, pending);
    pending.catch(() => building.delete(name));
  }
  return pending;
}

async function buildOnce(name: string, build: (out: string, work: string) => Promise<void>): Promise<Artifact> {
  const out = path.join(CACHE_DIR, name);
  const digestFile = `${out}.sha256`;
  if (existsSync(out) && existsSync(digestFile))
    return { path: out, sha256: (await fs.readFile(digestFile, 'utf8')).trim() };
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const work = await fs.mkdtemp(path.join(CACHE_DIR, '.build-'));
  try {
    const tmp = `${out}.tmp`;
    await build(tmp, work);
    await fs.rename(tmp, out);
    const sha = await sha256File(out);
    await fs.writeFile(digestFile, `${sha}\n`);
    return { path: out, sha256: sha };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function pack(parent: string, top: string, out: string): Promise<void> {
  // gzip -1: these are test artifacts, built once; speed over size.
  await sh('sh', ['-c', 'tar -C "$1" -cf - "$2" | gzip -1 > "$3"', 'pack', parent, top, out], { timeoutMs: 600_000 });
}

/** The JDK as a vendor tarball would be: jdk-17/{bin,lib,conf,...}; symlinks resolved, dangling ones dropped. */
export function jdkTarball(): Promise<Artifact> {
  return cached('jdk-17-bullseye-linux-x64.tar.gz', (out, work) => jdkFromBullseye(out, work, 17, 'security'));
}

const ZK_ENV = `#!/usr/bin/env bash
# zkEnv.sh for a tarball assembled from Debian's zookeeper package, in the upstream layout.
ZOOBINDIR="\${ZOOBINDIR:-/usr/bin}"
ZOOKEEPER_PREFIX="$(cd "\${ZOOBINDIR}/.." && pwd)"
if [ "x$ZOOCFGDIR" = "x" ]; then ZOOCFGDIR="$ZOOKEEPER_PREFIX/conf"; fi
if [ -f "$ZOOCFGDIR/java.env" ]; then . "$ZOOCFGDIR/java.env"; fi
if [ "x$ZOOCFG" = "x" ]; then ZOOCFG="zoo.cfg"; fi
ZOOCFG="$ZOOCFGDIR/$ZOOCFG"
if [ "x$ZOO_LOG_DIR" = "x" ]; then ZOO_LOG_DIR="$ZOOKEEPER_PREFIX/logs"; fi
if [ "x$ZOO_LOG_FILE" = "x" ]; then ZOO_LOG_FILE="zookeeper.log"; fi
if [ "x$ZOO_LOG4J_PROP" = "x" ]; then ZOO_LOG4J_PROP="INFO,CONSOLE"; fi
if [ "x$JAVA_HOME" != "x" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java)"; fi
# The conf directory first: the logging configuration (log4j.properties or logback.xml) is found there.
CLASSPATH="$ZOOCFGDIR:$ZOOKEEPER_PREFIX/lib/*:$CLASSPATH"
export ZOOCFGDIR ZOOCFG ZOO_LOG_DIR ZOO_LOG_FILE ZOO_LOG4J_PROP JAVA CLASSPATH
`;

/**
 * ZooKeeper 3.8.0 as upstream ships it, zookeeper-3.8.0/{bin,conf,lib} logging through logback: Debian's
 * scripts and jars (its zookeeper is built against the slf4j API), logback-classic, our zkEnv.sh, and the Netty
 * jars TLS needs that Debian's manifest does not name (upstream's lib/ has them; libnetty-java ships them).
 */
export function zookeeperTarball(): Promise<Artifact> {
  return cached('zookeeper-3.8.0-logback-netty.tar.gz', async (out, work) => {
    const top = path.join(work, 'zookeeper-3.8.0');
    await fs.mkdir(path.join(top, 'bin'), { recursive: true });
    await fs.mkdir(path.join(top, 'conf'), { recursive: true });
    await fs.mkdir(path.join(top, 'lib'), { recursive: true });
    for (const s of ['zkServer.sh', 'zkCli.sh', 'zkCleanup.sh'])
      await fs.copyFile(`/usr/share/zookeeper/bin/${s}`, path.join(top, 'bin', s));
    await fs.writeFile(path.join(top, 'bin', 'zkEnv.sh'), ZK_ENV, { mode: 0o755 });
    for (const s of ['zkServer.sh', 'zkCli.sh', 'zkCleanup.sh']) await fs.chmod(path.join(top, 'bin', s), 0o755);
    await fs.writeFile(
      path.join(top, 'conf', 'zoo_sample.cfg'),
      'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/tmp/zookeeper\nclientPort=2181\n',
    );
    const manifest = (await sh('unzip', ['-p', '/usr/share/java/zookeeper.jar', 'META-INF/MANIFEST.MF'])).stdout;
    const cp =
      /Class-Path: ([\s\S]*?)\r?\n[A-Z]/
        .exec(manifest)?.[1]
        .replace(/\r?\n /g, '')
        .trim()
        .split(/\s+/) ?? [];
    const jars = [
      '/usr/share/java/zookeeper.jar',
      ...cp,
      '/usr/share/java/logback-classic.jar',
      '/usr/share/java/logback-core.jar',
      '/usr/share/java/servlet-api.jar',
      ...TLS_JARS.map((j) => `/usr/share/java/${j}.jar`),
    ];
    for (const jar of jars) {
      if (!existsSync(jar)) continue;
      const real = await fs.realpath(jar);
      await fs.copyFile(real, path.join(top, 'lib', path.basename(real)));
    }
    await pack(work, 'zookeeper-3.8.0', out);
  });
}

/**
 * A stand-in for jmx_prometheus_javaagent-0.3.1.jar (Maven Central is out of reach): a real javaagent jar
 * with a Premain-Class, compiled here with the JDK.
 */
export function jmxAgentJar(): Promise<Artifact> {
  return cached('jmx_javaagent-0.3.1.jar', async (out, work) => {
    const src = path.join(work, 'io/zkfleet/test');
    await fs.mkdir(src, { recursive: true });
    await fs.writeFile(
      path.join(src, 'Agent.java'),
      'package io.zkfleet.test;\npublic class Agent {\n  public static void premain(String args) { System.err.println("javaagent stand-in: " + args); }\n}\n',
    );
    await fs.writeFile(path.join(work, 'MANIFEST.MF'), 'Premain-Class: io.zkfleet.test.Agent\n');
    const jdk = '/usr/lib/jvm/java-17-openjdk-amd64/bin';
    await sh(`${jdk}/javac`, ['--release', '8', '-d', path.join(work, 'classes'), path.join(src, 'Agent.java')]);
    await sh(`${jdk}/jar`, ['cfm', out, path.join(work, 'MANIFEST.MF'), '-C', path.join(work, 'classes'), '.']);
  });
}

/**
 * Packages of Debian bullseye (the release before this machine's), fetched with apt through a sources list
 * and state of their own (the machine's apt configuration is not touched) and unpacked with dpkg -x. Each
 * archive (`main`, `security`) has its own state, so adding one never changes what another resolves to.
 */
const bullseyeQueue = new SerialQueue();
const BULLSEYE = {
  main: 'deb http://deb.debian.org/debian bullseye main',
  security: 'deb http://deb.debian.org/debian-security bullseye-security main',
};

/** One bullseye fetch at a time in this process; flock keeps other processes (a sandbox deploy) out too. */
function bullseye(packages: string[], archive: keyof typeof BULLSEYE = 'main'): Promise<string> {
  return bullseyeQueue.run(() => bullseyeFetch(packages, archive));
}

async function bullseyeFetch(packages: string[], archive: keyof typeof BULLSEYE): Promise<string> {
  const base = path.join(CACHE_DIR, archive === 'main' ? 'bullseye' : `bullseye-${archive}`);
  const root = path.join(base, 'root');
  const done = path.join(base, `.${packages.join('+').replace(/[^A-Za-z0-9.+-]/g, '_')}`);
  if (existsSync(done)) return root;
  for (const d of ['lists/partial', 'archives/partial', 'cache', 'debs', 'root'])
    await fs.mkdir(path.join(base, d), { recursive: true });
  await fs.writeFile(path.join(base, 'sources.list'), `${BULLSEYE[archive]}\n`);
  const o = [
    `Dir::Etc::SourceList=${path.join(base, 'sources.list')}`,
    'Dir::Etc::SourceParts=/dev/null',
    `Dir::State::Lists=${path.join(base, 'lists')}`,
    `Dir::Cache=${path.join(base, 'cache')}`,
    `Dir::Cache::Archives=${path.join(base, 'archives')}`,
  ].flatMap((x) => ['-o', x]);
  const lock = path.join(base, '.lock');
  await sh('flock', [lock, 'apt-get', ...o, 'update', '-qq'], { timeoutMs: 300_000 });
  const debs = path.join(base, 'debs');
  await sh('flock', [lock, 'apt-get', ...o, 'download', ...packages], { cwd: debs, timeoutMs: 600_000 });
  for (const deb of await fs.readdir(debs)) await sh('dpkg', ['-x', path.join(debs, deb), root]);
  await fs.writeFile(done, new Date().toISOString());
  return root;
}

const ZK34 = '3.4.13-6+deb11u1';

/**
 * ZooKeeper 3.4.13 (the runbook's generation) as zookeeper-3.4.13/{bin,conf,lib}: bullseye's jar and
 * scripts, this machine's log4j 1.2 and slf4j jars, our zkEnv.sh. It logs through log4j.
 */
export function zookeeper34Tarball(): Promise<Artifact> {
  return cached('zookeeper-3.4.13.tar.gz', async (out, work) => {
    const src = await bullseye([`zookeeper=${ZK34}`, `libzookeeper-java=${ZK34}`]);
    const top = path.join(work, 'zookeeper-3.4.13');
    for (const d of ['bin', 'conf', 'lib']) await fs.mkdir(path.join(top, d), { recursive: true });
    for (const f of ['zkServer.sh', 'zkCli.sh']) {
      await fs.copyFile(path.join(src, 'usr/share/zookeeper/bin', f), path.join(top, 'bin', f));
      await fs.chmod(path.join(top, 'bin', f), 0o755);
    }
    await fs.writeFile(path.join(top, 'bin', 'zkEnv.sh'), ZK_ENV, { mode: 0o755 });
    const jars = [
      path.join(src, 'usr/share/java/zookeeper-3.4.13.jar'),
      ...['log4j-1.2.jar', 'slf4j-api.jar', 'slf4j-log4j12.jar'].map((j) => `/usr/share/java/${j}`),
    ];
    for (const jar of jars)
      await fs.copyFile(await fs.realpath(jar), path.join(top, 'lib', path.basename(await fs.realpath(jar))));
    await pack(work, 'zookeeper-3.4.13', out);
  });
}

/** A ZooKeeper "3.8.1" whose server cannot start (its jars are missing): what a bad tarball looks like. */
export function brokenZookeeperTarball(): Promise<Artifact> {
  return cached('zookeeper-3.8.1-broken.tar.gz', async (out, work) => {
    const good = await zookeeperTarball();
    await sh('tar', ['-xzf', good.path, '-C', work]);
    await fs.rename(path.join(work, 'zookeeper-3.8.0'), path.join(work, 'zookeeper-3.8.1'));
    await fs.rm(path.join(work, 'zookeeper-3.8.1', 'lib'), { recursive: true });
    await fs.mkdir(path.join(work, 'zookeeper-3.8.1', 'lib'));
    await pack(work, 'zookeeper-3.8.1', out);
  });
}

/** OpenJDK 11 from bullseye as a vendor tarball (jdk-11/): the JDK the ensemble starts on before an upgrade. */
export function jdk11Tarball(): Promise<Artifact> {
  return cached('jdk-11-linux-x64.tar.gz', (out, work) => jdkFromBullseye(out, work, 11, 'main'));
}

/**
 * A vendor-style JDK tarball (jdk-<major>/) from bullseye's OpenJDK: built against glibc 2.31, it runs on every
 * sandbox host (bullseye and bookworm), as an upstream JDK built on an old glibc does on every real one.
 */
async function jdkFromBullseye(out: string, work: string, major: 11 | 17, archive: keyof typeof BULLSEYE) {
  const src = await bullseye([`openjdk-${major}-jre-headless`], archive);
  const dir = path.join(work, `jdk-${major}`);
  // The package's links point into its own /etc (java.security, ...): made to point into the unpacked
  // packages, then resolved by the copy; what is still dangling is dropped.
  const repoint =
    'find "$1/usr/lib/jvm" -type l | while read -r l; do t=$(readlink "$l"); case "$t" in "$1"*) ;; /*) ln -sfn "$1$t" "$l";; esac; done';
  await sh('sh', ['-c', repoint, 'repoint', src]);
  const copy = 'cp -rL --preserve=mode "$1/usr/lib/jvm/java-$3-openjdk-amd64" "$2"';
  await sh('sh', ['-c', copy, 'copy', src, dir, String(major)], { allowFail: true });
  if (!existsSync(path.join(dir, 'bin', 'java')))
    throw new Error(`could not assemble the JDK ${major} tarball from bullseye`);
  await pack(work, `jdk-${major}`, out);
}
