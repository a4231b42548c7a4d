// winston-daily-rotate-file: one DailyRotateFile per output file (a %DATE% folder), each with a filtering format.
import { join } from 'node:path'
import DailyRotateFile from 'winston-daily-rotate-file'
import { endWinston, only, WINSTON_LEVELS, winstonChildren, winstonLogger } from '../lib/winstonSetup.mjs'
import { W5_LOGLANES_ONLY } from '../lib/workload.mjs'

export const label = 'winston-daily-rotate-file + filter formats'

function daily(dir, name, filter) {
  return new DailyRotateFile({
    filename: join(dir, '%DATE%', `${name}.log`),
    datePattern: 'YYYY-MM-DD',
    auditFile: join(dir, '.audit', `${name}.json`),
    format: only(filter),
  })
}

export function unsupported(work) {
  if (work.maxFileSize) return W5_LOGLANES_ONLY
  if (work.domains.length > 1000)
    return `${work.domains.length.toLocaleString('en-US')} domains would take a DailyRotateFile per domain, each filtering every record; W6 runs the reference, the hand-written router and loglanes`
  return undefined
}

export async function setup(work, dir) {
  const transports = work.domains.map((domain) => daily(dir, domain, { domain }))
  if (work.levelFiles)
    for (const level of Object.keys(WINSTON_LEVELS)) transports.push(daily(dir, level, { level }))
  const logger = winstonLogger(work, transports)
  return { children: winstonChildren(logger, work.domains), close: () => endWinston(logger) }
}
