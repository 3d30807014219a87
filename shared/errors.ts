import * as grpc from '@grpc/grpc-js';

/**
 * One small hierarchy with stable codes. Messages say what was wrong, where, and what to do; `code` is
 * what scripts and tests match on. Turned into a gRPC status in one place (`toServiceError`) and back in
 * one place (`fromServiceError`), so a refusal on the agent reaches the operator with its code intact.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'CONFIG_INVALID'
  | 'DIGEST_MISMATCH'
  | 'ARTIFACT_MISSING'
  | 'UNSAFE_ARCHIVE'
  | 'MYID_CONFLICT'
  | 'ZONE_INVALID'
  | 'DNS_TIMEOUT'
  | 'CAPABILITY_DISABLED'
  | 'PERMISSION_DENIED'
  | 'COMMAND_FAILED'
  | 'NOT_FOUND'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'QUORUM_TIMEOUT'
  | 'VERIFY_FAILED'
  | 'DISK_FULL'
  | 'CANCELLED'
  | 'IMAGE_BUILD_FAILED'
  | 'REGISTRY_AUTH'
  | 'USAGE'
  | 'HOST_UNSUITABLE'
  | 'NOT_ATTEMPTED'
  | 'VERSION_MISMATCH'
  | 'LOCKED'
  | 'DOWNGRADE'
  | 'UPGRADE_FAILED'
  | 'MEMBERSHIP_REFUSED'
  | 'SERVER_REMOVED'
  | 'VERSION_UNSUPPORTED'
  | 'INTERNAL';

/** Fields a script can read from an error (`--json` prints them): what was expected, what was found. */
export type ErrorDetails = Record<string, string | number | boolean | string[] | null>;

export class ZkfError extends Error {
  readonly code: ErrorCode;
  /** The host the error happened on, when known. */
  host?: string;
  details?: ErrorDetails;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; host?: string; details?: ErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZkfError';
    this.code = code;
    if (options?.host) this.host = options.host;
    if (options?.details) this.details = options.details;
  }
}

const toGrpc: Record<ErrorCode, grpc.status> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  CONFIG_INVALID: grpc.status.INVALID_ARGUMENT,
  DIGEST_MISMATCH: grpc.status.DATA_LOSS,
  ARTIFACT_MISSING: grpc.status.FAILED_PRECONDITION,
  UNSAFE_ARCHIVE: grpc.status.INVALID_ARGUMENT,
  MYID_CONFLICT: grpc.status.FAILED_PRECONDITION,
  ZONE_INVALID: grpc.status.FAILED_PRECONDITION,
  DNS_TIMEOUT: grpc.status.DEADLINE_EXCEEDED,
  CAPABILITY_DISABLED: grpc.status.PERMISSION_DENIED,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  COMMAND_FAILED: grpc.status.ABORTED,
  NOT_FOUND: grpc.status.NOT_FOUND,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  TIMEOUT: grpc.status.DEADLINE_EXCEEDED,
  QUORUM_TIMEOUT: grpc.status.DEADLINE_EXCEEDED,
  VERIFY_FAILED: grpc.status.ABORTED,
  DISK_FULL: grpc.status.RESOURCE_EXHAUSTED,
  CANCELLED: grpc.status.CANCELLED,
  IMAGE_BUILD_FAILED: grpc.status.ABORTED,
  REGISTRY_AUTH: grpc.status.UNAUTHENTICATED,
  USAGE: grpc.status.INVALID_ARGUMENT,
  HOST_UNSUITABLE: grpc.status.FAILED_PRECONDITION,
  NOT_ATTEMPTED: grpc.status.ABORTED,
  VERSION_MISMATCH: grpc.status.FAILED_PRECONDITION,
  LOCKED: grpc.status.FAILED_PRECONDITION,
  DOWNGRADE: grpc.status.FAILED_PRECONDITION,
  UPGRADE_FAILED: grpc.status.ABORTED,
  MEMBERSHIP_REFUSED: grpc.status.FAILED_PRECONDITION,
  VERSION_UNSUPPORTED: grpc.status.FAILED_PRECONDITION,
  SERVER_REMOVED: grpc.status.FAILED_PRECONDITION,
  INTERNAL: grpc.status.INTERNAL,
};

const CODE_KEY = 'zkf-code';
const DETAILS_KEY = 'zkf-details';

/** A command-line mistake: exit 64, naming the flag. */
export function usageError(message: string): ZkfError {
  return new ZkfError('USAGE', message);
}

/** Server side: any thrown value becomes a gRPC status carrying our code in metadata. */
export function toServiceError(err: unknown): grpc.ServiceError {
  const e = asZkfError(err);
  const metadata = new grpc.Metadata();
  metadata.set(CODE_KEY, e.code);
  if (e.details) metadata.set(DETAILS_KEY, JSON.stringify(e.details));
  return Object.assign(new Error(e.message), {
    code: toGrpc[e.code],
    details: e.message,
    metadata,
  }) as grpc.ServiceError;
}

/** Client side: a gRPC error back into a ZkfError, naming the host it came from. */
export function fromServiceError(err: unknown, host: string): ZkfError {
  if (err instanceof ZkfError) {
    err.host ??= host;
    return err;
  }
  const se = err as Partial<grpc.ServiceError>;
  const code = se.metadata?.get(CODE_KEY)?.[0];
  if (typeof code === 'string' && code in toGrpc) {
    const details = se.metadata?.get(DETAILS_KEY)?.[0];
    return new ZkfError(code as ErrorCode, se.details ?? String(se.message), {
      cause: err,
      host,
      details: typeof details === 'string' ? (JSON.parse(details) as ErrorDetails) : undefined,
    });
  }
  switch (se.code) {
    case grpc.status.UNAVAILABLE:
      return new ZkfError('UNAVAILABLE', `agent unreachable: ${se.details ?? se.message}`, { cause: err, host });
    case grpc.status.DEADLINE_EXCEEDED:
      return new ZkfError('TIMEOUT', `deadline exceeded: ${se.details ?? se.message}`, { cause: err, host });
    case grpc.status.CANCELLED:
      return new ZkfError('CANCELLED', 'cancelled', { cause: err, host });
    case grpc.status.PERMISSION_DENIED:
    case grpc.status.UNAUTHENTICATED:
      return new ZkfError('PERMISSION_DENIED', se.details ?? String(se.message), { cause: err, host });
    default:
      return new ZkfError('INTERNAL', se.details ?? String(se.message ?? err), { cause: err, host });
  }
}

export function asZkfError(err: unknown): ZkfError {
  if (err instanceof ZkfError) return err;
  const ne = err as NodeJS.ErrnoException;
  if (ne && ne.code === 'ENOSPC') return new ZkfError('DISK_FULL', `disk full: ${ne.message}`, { cause: err });
  if (ne && ne.code === 'EROFS') {
    const hint =
      'the agent may write only where its unit allows (ReadWritePaths; add a path with `systemctl edit zkfleet-agent`)';
    return new ZkfError('PERMISSION_DENIED', `read-only file system: ${ne.message}; ${hint}`, { cause: err });
  }
  if (ne && ne.code === 'ABORT_ERR') return new ZkfError('CANCELLED', 'cancelled', { cause: err });
  return new ZkfError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
}
