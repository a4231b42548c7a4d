// winston-daily-rotate-file: one DailyRotateFile per output file (a %DATE% folder), each with a filtering format.
import { join } from 'node:path'
import DailyRotateFile from 'winston-daily-rotate-file'
import { endWinston, only, WINSTON_LEVELS, winstonChildren, winstonLogger } from '../lib/winstonSetup.mjs'

export const label = 'winston-daily-rotate-file + filter formats'

function daily(dir, name, filter) {
  return new DailyRotateFile({
    filename: join(dir, '%DATE%', `${name}.log`),
    datePattern: 'YYYY-MM-DD',
    auditFile: join(dir, '.audit', `${name}.json`),
    format: only(filter),
  })
}

export async function setup(work, dir) {
  const transports = work.domains.map((domain) => daily(dir, domain, { domain }))
  if (work.levelFiles)
    for (const level of Object.keys(WINSTON_LEVELS)) transports.push(daily(dir, level, { level }))
  const logger = winstonLogger(work, transports)
  return { children: winstonChildren(logger, work.domains), close: () => endWinston(logger) }
}
