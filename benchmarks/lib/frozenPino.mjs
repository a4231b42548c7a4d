// @loglanes/pino from a build frozen with benchmarks/freeze.sh (for benchmarks/compare.mjs): FROZEN=<entry>.
import pino from 'pino'
import { endPino } from './pinoEnd.mjs'
import { lanesOptions } from './workload.mjs'

export const label = '@loglanes/pino (frozen build)'

export async function setup(work, dir) {
  const options = lanesOptions(work, dir)
  const logger = pino({ level: 'debug', transport: { target: process.env.FROZEN, options } })
  const children = work.domains.map((domain) => logger.child({ domain }))
  return { children, close: () => endPino(logger) }
}
