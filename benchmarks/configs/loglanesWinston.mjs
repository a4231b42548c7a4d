// @loglanes/winston: one LanesTransport, closed with endLogger.
import { endLogger, LanesTransport } from '@loglanes/winston'
import winston from 'winston'
import { loggerFormat, WINSTON_LEVELS, winstonChildren } from '../lib/winstonSetup.mjs'

export const label = '@loglanes/winston'

export async function setup(work, dir) {
  const options = {
    dir,
    domains: work.domains,
    levelFiles: work.levelFiles ? 'exact' : false,
    format: work.format,
  }
  if (work.format === 'text') options.timestampFormat = '%Y-%m-%d %H:%M:%S.%L'
  const logger = winston.createLogger({
    levels: WINSTON_LEVELS,
    level: 'debug',
    format: loggerFormat(work),
    transports: [new LanesTransport(options)],
  })
  return { children: winstonChildren(logger, work.domains), close: () => endLogger(logger) }
}
