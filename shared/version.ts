/**
 * The release's version and the version of the wire contract. A release build stamps its version into the
 * bundle (`npm run release`); run from the repository it is package.json's. The protocol version moves only
 * when an RPC or a field changes meaning; a coordinator talks to agents whose protocol it supports.
 */
declare const __ZKF_VERSION__: string | undefined;

export const VERSION: string =
  typeof __ZKF_VERSION__ === 'string'
    ? __ZKF_VERSION__
    : (require('../../package.json') as { version: string }).version;

export const PROTOCOL_VERSION = 4;

/** The first protocol whose agents make ZooKeeper TLS keys and write TLS settings (earlier ones ignore them). */
export const TLS_PROTOCOL = 4;

/**
 * Protocol versions this coordinator can drive (1: releases before 0.2, whose mode was a string; 2: before
 * 0.3, which had no deploy lease and flipped a running server's trees at once; 3: no ZooKeeper TLS, refused only
 * when the file asks for TLS).
 */
export const SUPPORTED_PROTOCOLS: readonly number[] = [3, 4];
