import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Give the heap back after a large upload rather than whenever V8 decides. The release runs as a single
 * executable, which cannot take --expose-gc on its command line: the flag is set here, once, instead.
 */
export function releaseMemory(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
