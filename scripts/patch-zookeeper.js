#!/usr/bin/env node
/**
 * npm postinstall: mend a defect of the npm `zookeeper` client (7.3.0, node-zk.cpp `yield`), then rebuild its
 * addon. When a connection attempt fails inside `zookeeper_interest` (a connect timeout, -7), the C client
 * closes its socket, but the addon keeps its libuv poll handle on that fd number and closes the handle only
 * at a later call. By then Node may have given the number to another socket of the process (a gRPC channel to
 * an agent); closing the stale handle then removes *that* socket's epoll registration, and it never hears
 * from its peer again. Reproduced here: a client timing out against a silent listener while the process opens
 * sockets left 4–7 of 1,500 echo sockets deaf in each of six runs (upstream: yfinkelstein/node-zookeeper#262,
 * open). The mend: let go of the handle at once when `zookeeper_interest` fails — in the same synchronous call
 * as the C client's close, before anyone else can be given the number — and make a new one at the next call.
 * Idempotent: a patched tree is left alone.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MARK = '/* zkfleet: poll handle released with the socket */';
const PATCHES = [
  {
    from: `        if (rc) {
            LOG_ERROR("yield:zookeeper_interest returned error: %d - %s\\n", rc, zerror(rc));
            return;
        }`,
    to: `        if (rc) {
            LOG_ERROR("yield:zookeeper_interest returned error: %d - %s\\n", rc, zerror(rc));
            ${MARK}
            if (zk_io) {
                uv_close((uv_handle_t*) zk_io, delete_on_close);
                zk_io = NULL;
            }
            return;
        }`,
  },
  {
    from: `        if (oldFd != fd) {`,
    to: `        if (oldFd != fd || !zk_io) {`,
  },
];

function addonDir() {
  return path.dirname(require.resolve('zookeeper/package.json', { paths: [path.resolve(__dirname, '..')] }));
}

/** node-gyp as npm runs it for install scripts: npm says where (`npm run` sets it too), whatever its layout. */
function nodeGyp() {
  const gyp = process.env.npm_config_node_gyp;
  if (!gyp) throw new Error('run this through npm (npm run postinstall): npm says where its node-gyp is');
  return gyp;
}

function main() {
  const dir = addonDir();
  const file = path.join(dir, 'src/node-zk.cpp');
  const original = fs.readFileSync(file, 'utf8');
  if (original.includes(MARK)) return;
  let src = original;
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const p of PATCHES) {
    if (src.split(p.from).length !== 2) {
      throw new Error(
        `zookeeper ${version}: node-zk.cpp is not the one scripts/patch-zookeeper.js mends (7.3.0); ` +
          'check whether this version still leaks its poll handle (yield), then update or drop the patch',
      );
    }
    src = src.replace(p.from, p.to);
  }
  fs.writeFileSync(file, src);
  try {
    // `build`, not `rebuild`: the C client the package built into build/zk stays; make recompiles node-zk.cpp.
    execFileSync(process.execPath, [nodeGyp(), 'build', '--loglevel=warn'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (err) {
    fs.writeFileSync(file, original); // not marked as mended: the next install tries again
    throw err;
  }
  process.stderr.write(`zookeeper ${version}: poll handle fix applied and the addon rebuilt\n`);
}

main();
