// @loglanes/pino: the routing transport in pino's worker thread, on defaults (day folders, exact level files).
import pino from 'pino'
import { endPino } from '../lib/pinoEnd.mjs'
import { lanesOptions } from '../lib/workload.mjs'

export const label = '@loglanes/pino'
/** Takes `maxFileSize` (W5): the file check holds each part to the cap. */
export const partsBySize = true

export async function setup(work, dir) {
  const options = lanesOptions(work, dir)
  const logger = pino({ level: 'debug', transport: { target: '@loglanes/pino', options } })
  const children = work.domains.map((domain) => logger.child({ domain }))
  return { children, close: () => endPino(logger) }
}
