import path from 'node:path';
import type { ReleaseInfo } from './plan';
import { AGENT_HOME } from './probe';
import { shq, type SshTarget } from './ssh';

/**
 * The changes bootstrap makes on a host, each one shell script over ssh, each safe to repeat: files land
 * under a temp name and are renamed in, a release is checked against its digest before it is unpacked,
 * and `current` flips with a rename.
 */
export async function uploadRelease(ssh: SshTarget, r: ReleaseInfo, signal: AbortSignal): Promise<void> {
  const incoming = `${AGENT_HOME}/.incoming-${r.version}.tar.gz`;
  await ssh.must('upload', `set -e; mkdir -p ${AGENT_HOME}/releases; cat > ${shq(incoming)}`, {
    input: { file: r.file },
    signal,
    timeoutMs: 600_000,
  });
  const dir = `${AGENT_HOME}/releases/${r.version}`;
  const tmp = `${AGENT_HOME}/releases/.${r.version}.tmp`;
  const script = `set -e
sum=$(sha256sum ${shq(incoming)} | cut -d' ' -f1)
if [ "$sum" != ${shq(r.sha256)} ]; then
  rm -f ${shq(incoming)}; echo "received sha256 $sum, sent ${r.sha256}" >&2; exit 3
fi
rm -rf ${shq(tmp)}; mkdir -p ${shq(tmp)}
tar -xzf ${shq(incoming)} -C ${shq(tmp)} --strip-components=1 --no-same-owner
echo ${shq(r.sha256)} > ${shq(tmp)}/.tarball.sha256
rm -rf ${shq(dir)}; mv ${shq(tmp)} ${shq(dir)}; rm -f ${shq(incoming)}`;
  await ssh.must('unpack', script, { signal });
}

/** A release version as it may appear in a path and a shell pattern. */
export const RELEASE_VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]*$/;

/** Keep the release just installed, the one before it (for a rollback), and one more; remove older ones. */
export async function pruneReleases(ssh: SshTarget, keep: string[], signal: AbortSignal): Promise<void> {
  const pattern = keep.filter((v) => RELEASE_VERSION.test(v)).join('|') || '.';
  const script = `cd ${AGENT_HOME}/releases || exit 0
ls -1t | tail -n +4 | while read -r d; do case "$d" in ${pattern}) ;; *) rm -rf -- "$d" ;; esac; done`;
  await ssh.must('prune releases', script, { signal });
}

/** Write a file whole: temp name, mode, rename. Its content travels on stdin, never on a command line. */
export async function putFile(ssh: SshTarget, file: string, content: string, mode: number, signal: AbortSignal) {
  const tmp = `${file}.zkf-tmp`;
  const script = `set -e; umask 077; mkdir -p ${shq(path.posix.dirname(file))}
cat > ${shq(tmp)}; chmod ${mode.toString(8)} ${shq(tmp)}; mv -f ${shq(tmp)} ${shq(file)}`;
  await ssh.must(`write ${file}`, script, { input: content, signal });
}

export async function activate(ssh: SshTarget, version: string, signal: AbortSignal): Promise<void> {
  const script = `set -e; cd ${AGENT_HOME}; test -x releases/${shq(version)}/bin/zkfleet-agent
ln -sfn releases/${shq(version)} .current.tmp; mv -Tf .current.tmp current`;
  await ssh.must(`activate ${version}`, script, { signal });
}

export async function systemctl(ssh: SshTarget, args: string, signal: AbortSignal): Promise<void> {
  await ssh.must(`systemctl ${args}`, `systemctl ${args}`, { signal });
}

/** A message with the agent's own words when it does not come up: the last lines of its journal. */
export async function withJournal(ssh: SshTarget, message: string): Promise<string> {
  const r = await ssh.run('journalctl -u zkfleet-agent -n 8 --no-pager -o cat 2>/dev/null | tail -n 8');
  const journal = r.stdout.trim();
  return journal ? `${message}\n  its journal:\n    ${journal.split('\n').join('\n    ')}` : message;
}
