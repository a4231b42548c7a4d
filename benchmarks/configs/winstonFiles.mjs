// winston with one File transport per output file, each with a filtering format.
import { join } from 'node:path'
import winston from 'winston'
import { endWinston, only, WINSTON_LEVELS, winstonChildren, winstonLogger } from '../lib/winstonSetup.mjs'
import { dayFolder, W5_LOGLANES_ONLY } from '../lib/workload.mjs'

export const label = 'winston, one File transport per file + filter formats'

export function unsupported(work) {
  if (work.maxFileSize) return W5_LOGLANES_ONLY
  if (work.domains.length > 1000)
    return `${work.domains.length.toLocaleString('en-US')} domains would take a File transport per domain, each filtering every record; W6 runs the reference, the hand-written router and loglanes`
  return undefined
}

export async function setup(work, dir) {
  const folder = join(dir, dayFolder())
  const transports = work.domains.map(
    (domain) =>
      new winston.transports.File({ filename: join(folder, `${domain}.log`), format: only({ domain }) }),
  )
  if (work.levelFiles) {
    for (const level of Object.keys(WINSTON_LEVELS)) {
      transports.push(
        new winston.transports.File({ filename: join(folder, `${level}.log`), format: only({ level }) }),
      )
    }
  }
  const logger = winstonLogger(work, transports)
  return { children: winstonChildren(logger, work.domains), close: () => endWinston(logger) }
}
