#!/usr/bin/env node
// npm run release [-- --version V] [-- --out DIR]
//
// The agent as one self-contained executable, in release/zkfleet-agent-<version>-linux-x64.tar.gz (+ .sha256):
//   zkfleet-agent-<v>-linux-x64/bin/zkfleet-agent      a static launcher (scripts/agent-launcher.c) that runs
//                                                      lib/zkfleet-agent through lib/ld-linux-x86-64.so.2
//   zkfleet-agent-<v>-linux-x64/lib/zkfleet-agent      Node's single-executable application: the bundled agent
//                                                      injected into this machine's node binary
//   zkfleet-agent-<v>-linux-x64/lib/*.so*              the dynamic loader and C libraries it needs, from this
//                                                      machine: the host's C library does not matter
//   zkfleet-agent-<v>-linux-x64/systemd/zkfleet-agent.service, zkfleet-agent.tmpfiles
//   zkfleet-agent-<v>-linux-x64/agent.example.yaml
//   zkfleet-agent-<v>-linux-x64/MANIFEST.json          version, protocol, arch, what it needs of a host
//                                                      (kernel, systemd), digests
// Nothing from npm, no C library, no compiler and no network is needed on a host (gcc builds the launcher
// here). The build is reproducible (same inputs, same bytes), and skipped when the inputs did not change.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function args() {
  const a = process.argv.slice(2);
  const get = (flag) => (a.includes(flag) ? a[a.indexOf(flag) + 1] : undefined);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return { version: get('--version') ?? pkg.version, out: path.resolve(get('--out') ?? path.join(ROOT, 'release')) };
}

/** Every input of the build: sources, lockfile, this script, the node binary. */
function inputsDigest(version) {
  const h = crypto.createHash('sha256').update(`${version}\0${process.version}\0`);
  const files = execFileSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', 'agent', 'shared', 'systemd', 'scripts'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean)
    .sort();
  for (const f of [...files, 'package-lock.json']) {
    const p = path.join(ROOT, f);
    if (fs.existsSync(p)) h.update(f).update('\0').update(fs.readFileSync(p)).update('\0');
  }
  return h.digest('hex');
}

/** What the release needs of a host: the kernel its C library runs on (CentOS 7's 3.10), the oldest systemd. */
const NEEDS = { kernel: '3.10', systemd: 219 };

/** The dynamic loader and shared libraries `binary` needs, from this machine (`ldd`), by the names it asks for. */
function sharedLibraries(binary) {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+) => (\/\S+)/.exec(line) ?? /^\s*(\/\S*ld-linux\S*)/.exec(line);
    if (m) libs.push({ name: path.basename(m[1]), file: fs.realpathSync(m[2] ?? m[1]) });
  }
  if (!libs.some((l) => l.name === 'ld-linux-x86-64.so.2')) throw new Error(`ldd ${binary}: no dynamic loader`);
  return libs;
}

/** The static launcher: reproducible (-static, no build id, no debug info). */
function launcher(out) {
  const src = path.join(ROOT, 'scripts/agent-launcher.c');
  execFileSync('gcc', ['-static', '-Os', '-s', '-Wl,--build-id=none', '-o', out, src], { stdio: 'inherit' });
}

function bundle(work, version) {
  const esbuild = require('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'agent/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: path.join(work, 'agent.js'),
    define: { __ZKF_VERSION__: JSON.stringify(version) },
    legalComments: 'none',
    // The script's text stays in the agent's heap for its whole life: without the indentation it is 2.8 MB
    // instead of 4.2, and an idle agent's RSS 6 MB smaller. Names are kept, so stack traces still read.
    minifyWhitespace: true,
    logLevel: 'warning',
  });
}

function singleExecutable(work, binary) {
  const config = path.join(work, 'sea.json');
  const blob = path.join(work, 'sea.blob');
  fs.writeFileSync(
    config,
    JSON.stringify({ main: path.join(work, 'agent.js'), output: blob, disableExperimentalSEAWarning: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'ignore' });
  fs.copyFileSync(process.execPath, binary);
  fs.chmodSync(binary, 0o755);
  const postject = require.resolve('postject/dist/cli.js');
  execFileSync(process.execPath, [postject, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], {
    stdio: 'ignore',
  });
}

const EXAMPLE = `# /etc/zkfleet/agent.yaml (written by \`coordinator bootstrap\`; see README "Agent configuration")
name: hdss7-11
listen: 10.4.7.11:7443
tls: { ca: /etc/zkfleet/ca.crt, cert: /etc/zkfleet/agent.crt, key: /etc/zkfleet/agent.key }
capabilities: [zookeeper, exec]
coordinator: { address: 10.4.7.200:7400 }
`;

function assemble(work, name, version) {
  const top = path.join(work, name);
  for (const d of ['bin', 'lib', 'systemd']) fs.mkdirSync(path.join(top, d), { recursive: true });
  const binary = path.join(top, 'bin/zkfleet-agent');
  const agent = path.join(top, 'lib/zkfleet-agent');
  singleExecutable(work, agent);
  for (const lib of sharedLibraries(agent)) fs.copyFileSync(lib.file, path.join(top, 'lib', lib.name));
  launcher(binary);
  for (const f of ['zkfleet-agent.service', 'zkfleet-agent.tmpfiles']) {
    fs.copyFileSync(path.join(ROOT, 'systemd', f), path.join(top, 'systemd', f));
  }
  fs.writeFileSync(path.join(top, 'agent.example.yaml'), EXAMPLE);
  const { PROTOCOL_VERSION } = require(path.join(ROOT, 'dist/shared/version.js'));
  const manifest = {
    name: 'zkfleet-agent',
    version,
    protocolVersion: PROTOCOL_VERSION,
    arch: 'x86_64',
    needs: NEEDS,
    node: process.version,
    binary: 'bin/zkfleet-agent',
    binarySha256: crypto.createHash('sha256').update(fs.readFileSync(binary)).digest('hex'),
    agentSha256: crypto.createHash('sha256').update(fs.readFileSync(agent)).digest('hex'),
    libraries: fs.readdirSync(path.join(top, 'lib')).filter((f) => f !== 'zkfleet-agent'),
  };
  fs.writeFileSync(path.join(top, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * The archive's entries in name order, the executable's directory last: the coordinator reads the manifest and
 * the units at every bootstrap, and its reader stops once it has them instead of inflating the binary first.
 */
function packOrder(work, name) {
  const walk = (rel) => {
    const full = path.join(work, rel);
    if (!fs.statSync(full).isDirectory()) return [rel];
    const kids = fs.readdirSync(full).sort();
    return [rel, ...kids.flatMap((k) => walk(path.join(rel, k)))];
  };
  const all = walk(name);
  const heavy = ['bin', 'lib'].map((d) => path.join(name, d));
  const inBin = (e) => heavy.some((d) => e === d || e.startsWith(`${d}/`));
  return [...all.filter((e) => !inBin(e)), ...all.filter(inBin)];
}

function pack(work, name, out) {
  const tarball = path.join(out, `${name}.tar.gz`);
  const tmp = `${tarball}.tmp`;
  // Reproducible: a fixed order, fixed times and owners, no gzip timestamp.
  const fixed = ['--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--no-recursion'];
  const tar = [...fixed, '-C', work, '-cf', '-', ...packOrder(work, name)];
  execFileSync('sh', ['-c', 'tar "$@" | gzip -n -6 > "$0"', tmp, ...tar]);
  fs.renameSync(tmp, tarball);
  const digest = crypto.createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
  fs.writeFileSync(`${tarball}.sha256`, `${digest}  ${path.basename(tarball)}\n`);
  return { tarball, digest };
}

function main() {
  const { version, out } = args();
  const name = `zkfleet-agent-${version}-linux-x64`;
  const stamp = path.join(out, `.${name}.inputs`);
  const inputs = inputsDigest(version);
  const tarball = path.join(out, `${name}.tar.gz`);
  if (fs.existsSync(tarball) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === inputs) {
    process.stdout.write(`${tarball} (unchanged)\n`);
    return;
  }
  fs.mkdirSync(out, { recursive: true });
  // A fixed work directory: its path ends up in the executable, which must be the same on every build.
  const work = path.join(out, '.build');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work);
  try {
    bundle(work, version);
    const manifest = assemble(work, name, version);
    const r = pack(work, name, out);
    fs.writeFileSync(stamp, inputs);
    const mb = (fs.statSync(r.tarball).size / 1e6).toFixed(0);
    const needs = `Linux >= ${manifest.needs.kernel}, systemd >= ${manifest.needs.systemd}, its own C library`;
    process.stdout.write(`${r.tarball} (${mb} MB, sha256 ${r.digest}; needs ${needs})\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
