import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The server's log through ZooKeeper's own logging, as the installed tree has it: log4j 1.2 (3.4, and
 * distributions that patched 3.5+ back to it) or logback (upstream 3.8+). One size-rotated file,
 * `<logDir>/zookeeper.log`, at most `keep` files of `maxSizeKB` each; nothing goes to an unbounded
 * zookeeper.out. The root logger is fixed here rather than taken from the scripts' zookeeper.root.logger, so
 * whatever zkServer.sh passes, the file decides.
 */
export type LogBackend = 'log4j' | 'logback';

export interface LogSettings {
  dir: string;
  maxSizeKB: number;
  keep: number;
  level: string;
}

export const LOG_FILE = 'zookeeper.log';

/** Which logging the tree's jars bring: logback-classic, else log4j 1.2. */
export async function logBackend(home: string): Promise<LogBackend> {
  const jars = await fs.readdir(path.join(home, 'lib')).catch(() => [] as string[]);
  return jars.some((j) => /^logback-classic.*\.jar$/.test(j)) ? 'logback' : 'log4j';
}

export function configFileName(backend: LogBackend): string {
  return backend === 'logback' ? 'logback.xml' : 'log4j.properties';
}

const PATTERN = '%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n';

export function renderLogConfig(backend: LogBackend, s: LogSettings): string {
  const file = path.join(s.dir, LOG_FILE);
  if (backend === 'log4j') {
    return [
      '# Managed by zkfleet: the server log, size-rotated (zookeeper.logs in the ensemble file).',
      `log4j.rootLogger=${s.level}, ROLLINGFILE`,
      'log4j.appender.ROLLINGFILE=org.apache.log4j.RollingFileAppender',
      `log4j.appender.ROLLINGFILE.File=${file}`,
      `log4j.appender.ROLLINGFILE.MaxFileSize=${s.maxSizeKB}KB`,
      `log4j.appender.ROLLINGFILE.MaxBackupIndex=${Math.max(0, s.keep - 1)}`,
      'log4j.appender.ROLLINGFILE.layout=org.apache.log4j.PatternLayout',
      `log4j.appender.ROLLINGFILE.layout.ConversionPattern=${PATTERN}`,
      '',
    ].join('\n');
  }
  return `<!-- Managed by zkfleet: the server log, size-rotated (zookeeper.logs in the ensemble file). -->
<configuration>
  <appender name="ROLLINGFILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
    <file>${file}</file>
    <encoder><pattern>${PATTERN}</pattern></encoder>
    <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
      <fileNamePattern>${file}.%i</fileNamePattern>
      <minIndex>1</minIndex>
      <maxIndex>${Math.max(1, s.keep - 1)}</maxIndex>
    </rollingPolicy>
    <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
      <maxFileSize>${s.maxSizeKB}KB</maxFileSize>
    </triggeringPolicy>
  </appender>
  <root level="${s.level}"><appender-ref ref="ROLLINGFILE"/></root>
</configuration>
`;
}
