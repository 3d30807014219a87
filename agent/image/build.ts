import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { writeFileAtomic } from '../../shared/fs-atomic';
import { IMAGE_REF, TIMEZONE } from '../../shared/names';
import { killGroup } from '../../shared/process-group';
import type { BuildImageRequest__Output, BuildImageResult } from '../../shared/generated/wire';
import type { ArtifactStore } from '../artifacts/store';
import type { Host } from '../daemon/host';
import { required } from '../daemon/request-guard';

export const CONTEXT_LABEL = 'io.zkfleet.context-hash';
type Builder = 'docker' | 'buildah' | 'podman';

export interface Context {
  files: Record<string, string | Buffer>;
  hash: string;
}

/**
 * The build context of the runbook's JRE base image, from typed inputs. Its hash (every file and the FROM
 * line) goes into a label: a registry that already holds the tag with that label needs no build.
 */
export function renderContext(req: {
  from: string;
  timezone: string;
  jmxConfig: string;
  jmxPort: number;
  jarName: string;
  jar: Buffer;
}): Context {
  const tz = required(req.timezone, 'timezone');
  if (!TIMEZONE.test(tz)) throw new ZkfError('INVALID_ARGUMENT', `timezone "${tz}" is not a tz name`);
  if (!/^[A-Za-z0-9._-]+\.jar$/.test(req.jarName))
    throw new ZkfError('INVALID_ARGUMENT', `javaagent jar name "${req.jarName}" must be a plain .jar file name`);
  if (!IMAGE_REF.test(req.from))
    throw new ZkfError('INVALID_ARGUMENT', `FROM image "${req.from}" is not an image reference`);
  const port = required(req.jmxPort, 'jmxPort');
  // exec: java replaces the shell and is PID 1, so it gets the container's signals (the runbook's point).
  const javaagent = `/opt/prom/${req.jarName}=$(hostname -i):\${M_PORT:-"${port}"}:/opt/prom/config.yml`;
  const entrypoint = `#!/bin/sh
M_OPTS="-Duser.timezone=${tz} -javaagent:${javaagent}"
C_OPTS=\${C_OPTS}
JAR_BALL=\${JAR_BALL}
exec java \${M_OPTS} \${C_OPTS} -jar \${JAR_BALL}
`;
  const dockerfile = (hash: string) => `FROM ${req.from}
RUN /bin/cp /usr/share/zoneinfo/${tz} /etc/localtime &&\\
    echo '${tz}' >/etc/timezone
ADD config.yml /opt/prom/config.yml
ADD ${req.jarName} /opt/prom/
WORKDIR /opt/project_dir
ADD entrypoint.sh /entrypoint.sh
LABEL ${CONTEXT_LABEL}="${hash}"
CMD ["sh","/entrypoint.sh"]
`;
  const jmxConfig = required(req.jmxConfig, 'jmxConfig');
  const h = createHash('sha256');
  for (const part of [dockerfile(''), jmxConfig, entrypoint, req.jarName, req.jar]) h.update(part).update('\0');
  const hash = h.digest('hex');
  return {
    hash,
    files: {
      Dockerfile: dockerfile(hash),
      'config.yml': jmxConfig,
      'entrypoint.sh': entrypoint,
      [req.jarName]: req.jar,
    },
  };
}

interface Credentials {
  username: string;
  password: string;
}

async function readCredentials(file: string): Promise<Credentials> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st) throw new ZkfError('NOT_FOUND', `registry credentials file ${file} not found`);
  if (st.mode & 0o077)
    throw new ZkfError(
      'PERMISSION_DENIED',
      `registry credentials file ${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`,
    );
  let c: Partial<Credentials>;
  try {
    c = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<Credentials>;
  } catch {
    throw new ZkfError('INVALID_ARGUMENT', `${file} must be JSON: {"username": "...", "password": "..."}`);
  }
  if (!c.username || !c.password) throw new ZkfError('INVALID_ARGUMENT', `${file} must hold "username" and "password"`);
  return { username: c.username, password: c.password };
}

export function registryOf(ref: string): string {
  const first = ref.split('/')[0];
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

interface Run {
  code: number;
  out: string;
}

/**
 * Everything a build does runs through here: argv only, secrets in a 0600 auth file in a private temp dir
 * (never an argument), and every line scrubbed of them before it is logged or returned.
 */
class Session {
  private constructor(
    private readonly host: Host,
    private readonly dir: string,
    readonly authFile: string | undefined,
    private readonly secrets: string[],
    private readonly signal: AbortSignal,
  ) {}

  static async open(
    host: Host,
    credentialsFile: string | undefined,
    registry: string,
    signal: AbortSignal,
  ): Promise<Session> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zkf-image-'));
    await fs.chmod(dir, 0o700);
    if (!credentialsFile) return new Session(host, dir, undefined, [], signal);
    const c = await readCredentials(credentialsFile);
    const auth = Buffer.from(`${c.username}:${c.password}`).toString('base64');
    const authFile = path.join(dir, 'config.json');
    // The containers auth.json and docker's config.json share this shape.
    await writeFileAtomic(authFile, JSON.stringify({ auths: { [registry]: { auth } } }), { mode: 0o600 });
    return new Session(host, dir, authFile, [c.password, auth], signal);
  }

  scrub(s: string): string {
    let out = s;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  run(cmd: string, args: string[], onLine?: (l: string) => void): Promise<Run> {
    return new Promise((resolve, reject) => {
      const env = {
        ...process.env,
        ...this.host.config.image.env,
        ...(this.authFile ? { REGISTRY_AUTH_FILE: this.authFile, DOCKER_CONFIG: this.dir } : {}),
      };
      const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let out = '';
      let partial = '';
      const take = (b: Buffer) => {
        const text = partial + b.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) {
          const s = this.scrub(l);
          out += s + '\n';
          onLine?.(s);
        }
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const onAbort = () => killGroup(child.pid, 0);
      this.signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => {
        this.signal.removeEventListener('abort', onAbort);
        reject(
          (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? new ZkfError('NOT_FOUND', `${cmd} is not installed on ${this.host.config.name}`)
            : err,
        );
      });
      child.on('close', (code) => {
        this.signal.removeEventListener('abort', onAbort);
        if (partial) {
          const s = this.scrub(partial);
          out += s;
          onLine?.(s);
        }
        if (this.signal.aborted) reject(new ZkfError('CANCELLED', 'image build cancelled'));
        else resolve({ code: code ?? -1, out });
      });
    });
  }

  async close(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

const UNAUTHORIZED = /unauthorized|authentication required|401|invalid username\/password/i;
const NOT_FOUND = /manifest unknown|not found|name unknown|404/i;

/** The pushed image as the registry has it (digest and labels), or undefined when the tag is not there. */
async function inspectRemote(
  s: Session,
  ref: string,
  insecure: boolean,
): Promise<{ digest: string; labels: Record<string, string> } | undefined> {
  const r = await s.run('skopeo', ['inspect', ...registryFlags(insecure, s.authFile), `docker://${ref}`]);
  if (r.code === 0) {
    const j = JSON.parse(r.out.slice(r.out.indexOf('{'))) as { Digest: string; Labels: Record<string, string> | null };
    return { digest: j.Digest, labels: j.Labels ?? {} };
  }
  if (UNAUTHORIZED.test(r.out))
    throw new ZkfError('REGISTRY_AUTH', `the registry ${registryOf(ref)} refused the credentials: ${lastLines(r.out)}`);
  if (NOT_FOUND.test(r.out)) return undefined;
  throw new ZkfError('IMAGE_BUILD_FAILED', `cannot read ${ref} from the registry: ${lastLines(r.out)}`);
}

const lastLines = (s: string, n = 3) => s.trim().split('\n').slice(-n).join(' | ');

async function chooseBuilder(s: Session): Promise<Builder> {
  // A docker CLI without a daemon is common (it is only a client): ask the daemon, not the CLI.
  const docker = await s.run('docker', ['version', '--format', '{{.Server.Version}}']).catch(() => undefined);
  if (docker?.code === 0) return 'docker';
  for (const b of ['buildah', 'podman'] as const) {
    const v = await s.run(b, ['--version']).catch(() => undefined);
    if (v?.code === 0) return b;
  }
  throw new ZkfError(
    'NOT_FOUND',
    'no image builder: neither a docker daemon answers, nor is buildah or podman installed',
  );
}

/** Flags buildah and podman share: the registry's TLS and the private auth file. */
function registryFlags(insecure: boolean, authFile: string | undefined): string[] {
  return [...(insecure ? ['--tls-verify=false'] : []), ...(authFile ? ['--authfile', authFile] : [])];
}

function buildArgs(
  b: Builder,
  tag: string,
  dir: string,
  insecure: boolean,
  authFile: string | undefined,
): [string, string[]] {
  if (b === 'docker') return ['docker', ['build', '-t', tag, dir]];
  // chroot isolation: without it every RUN fails on hosts whose cgroups the builder cannot manage.
  const common = ['--isolation', 'chroot', '--layers', '--format', 'docker', ...registryFlags(insecure, authFile)];
  return [b, [b === 'buildah' ? 'bud' : 'build', ...common, '-t', tag, dir]];
}

function pushArgs(b: Builder, tag: string, insecure: boolean, authFile: string | undefined): [string, string[]] {
  if (b === 'docker') return ['docker', ['push', tag]];
  return [b, ['push', ...registryFlags(insecure, authFile), tag, `docker://${tag}`]];
}

export async function buildImage(
  host: Host,
  store: ArtifactStore,
  req: BuildImageRequest__Output,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<BuildImageResult> {
  if (!IMAGE_REF.test(req.tag)) throw new ZkfError('INVALID_ARGUMENT', `tag "${req.tag}" is not an image reference`);
  const jar = await fs.readFile(await store.require(req.jmxAgentSha256));
  const ctx = renderContext({
    from: req.from,
    timezone: req.timezone,
    jmxConfig: req.jmxConfig,
    jmxPort: req.jmxPort,
    jarName: required(req.jmxAgentName, 'jmxAgentName'),
    jar,
  });
  const authFile = req.registryAuth ? host.path(req.registryAuth) : host.config.image.registryAuth;
  const session = await Session.open(host, authFile, registryOf(req.tag), signal);
  try {
    const remote = await inspectRemote(session, req.tag, req.insecure);
    const result = { builder: '', digest: remote?.digest ?? '', contextHash: ctx.hash };
    if (remote?.labels[CONTEXT_LABEL] === ctx.hash) {
      const description = `${req.tag} already in the registry with this context (${remote.digest.slice(0, 19)}…)`;
      return { ...result, changed: false, description };
    }
    const why = remote ? 'the registry holds another build of this tag' : 'the tag is not in the registry';
    if (req.dryRun)
      return { ...result, digest: '', changed: true, description: `would build and push ${req.tag} (${why})` };
    const builder = await chooseBuilder(session);
    log(`builder: ${builder}; ${why}`);
    const digest = await buildAndPush(host, session, builder, req, ctx, log);
    host.log.info('image pushed', { tag: req.tag, digest, builder, contextHash: ctx.hash });
    return {
      builder,
      digest,
      contextHash: ctx.hash,
      changed: true,
      description: `built with ${builder} and pushed ${req.tag}`,
    };
  } finally {
    await session.close();
  }
}

/** Write the context, build, push, and read back what the registry now holds: the digest to pin. */
async function buildAndPush(
  host: Host,
  session: Session,
  builder: Builder,
  req: BuildImageRequest__Output,
  ctx: Context,
  log: (line: string) => void,
): Promise<string> {
  const dir = path.join(host.path(host.config.image.workDir), req.tag.replace(/[^A-Za-z0-9._-]+/g, '_'));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(ctx.files)) {
    await fs.writeFile(path.join(dir, name), content, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  const [bcmd, bargs] = buildArgs(builder, req.tag, dir, req.insecure, session.authFile);
  refuseFailure(await session.run(bcmd, bargs, log), `pulling ${req.from}`, `${bcmd} build of ${req.tag}`);
  const [pcmd, pargs] = pushArgs(builder, req.tag, req.insecure, session.authFile);
  refuseFailure(await session.run(pcmd, pargs, log), `pushing ${req.tag}`, `push of ${req.tag}`);
  const now = await inspectRemote(session, req.tag, req.insecure);
  if (!now || now.labels[CONTEXT_LABEL] !== ctx.hash) {
    const why = `after the push, ${req.tag} in the registry does not carry this build's label`;
    throw new ZkfError('IMAGE_BUILD_FAILED', why);
  }
  return now.digest;
}

function refuseFailure(r: Run, authStep: string, what: string): void {
  if (r.code === 0) return;
  if (UNAUTHORIZED.test(r.out)) {
    throw new ZkfError('REGISTRY_AUTH', `${authStep}: the registry refused the credentials: ${lastLines(r.out)}`);
  }
  throw new ZkfError('IMAGE_BUILD_FAILED', `${what} failed: ${lastLines(r.out)}`);
}
