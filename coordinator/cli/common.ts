import { Command, InvalidArgumentError } from 'commander';
import { asZkfError } from '../../shared/errors';
import { ConfigError } from '../../shared/config-file';

/** Exit codes shared by every subcommand (README, "Exit codes"). */
/** LOCKED (75, EX_TEMPFAIL): another deploy holds the ensemble; the same command later goes through. */
export const EXIT = { OK: 0, ERROR: 1, PARTIAL: 2, USAGE: 64, LOCKED: 75 } as const;

export function writeJson(v: unknown): void {
  process.stdout.write(JSON.stringify(v, null, 2) + '\n');
}

/** Report an error the way every subcommand does: JSON on stdout with --json, a readable line on stderr. */
export function fail(err: unknown, json: boolean): number {
  const e = asZkfError(err);
  if (json)
    writeJson({
      ok: false,
      error: {
        code: e.code,
        message: e.message,
        host: e.host,
        details: e.details,
        problems: e instanceof ConfigError ? e.problems : undefined,
      },
    });
  process.stderr.write(`error: ${e.host ? `${e.host}: ` : ''}${e.message}\n`);
  return e.code === 'USAGE' ? EXIT.USAGE : e.code === 'LOCKED' ? EXIT.LOCKED : EXIT.ERROR;
}

/** An AbortSignal that fires on the first SIGINT/SIGTERM; a second one exits at once. */
export function interruptSignal(): AbortSignal {
  const ac = new AbortController();
  let count = 0;
  const on = (sig: NodeJS.Signals) => {
    count++;
    if (count > 1) process.exit(130);
    process.stderr.write(`\n${sig}: cancelling (remote work is being cancelled; press again to exit at once)\n`);
    ac.abort();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return ac.signal;
}

export type Register = (program: Command) => void;

/** A repeatable option: `--host a --host b` or `--ip a,b`. */
export const collect = (v: string, prev: string[]) => [...prev, ...v.split(',').filter(Boolean)];

/** An option parser for a whole number: a wrong value is a usage error (exit 64) naming the flag. */
export function positiveInt(flag: string, zeroAllowed = false): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < (zeroAllowed ? 0 : 1)) {
      throw new InvalidArgumentError(`${flag} takes a whole number${zeroAllowed ? '' : ' of at least 1'}, not "${v}"`);
    }
    return n;
  };
}
