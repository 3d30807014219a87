import winston from 'winston';

/**
 * One winston logger per process; components take a child (`logger.child({ component: 'dns' })`).
 * JSON lines by default (systemd/journald, log shippers); `ZKF_LOG_FORMAT=pretty` for a terminal.
 */
export function createLogger(
  options: { level?: string; pretty?: boolean; stream?: NodeJS.WritableStream } = {},
): winston.Logger {
  const pretty = options.pretty ?? process.env.ZKF_LOG_FORMAT === 'pretty';
  return winston.createLogger({
    level: options.level ?? process.env.ZKF_LOG_LEVEL ?? 'info',
    format: pretty
      ? winston.format.combine(
          winston.format.timestamp(),
          winston.format.printf(
            ({ timestamp, level, message, ...meta }) =>
              `${timestamp} ${level} ${message}${Object.keys(meta).length ? ' ' + JSON.stringify(meta) : ''}`,
          ),
        )
      : winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream: options.stream ?? process.stderr })],
  });
}

export type Logger = winston.Logger;
