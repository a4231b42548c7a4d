// A hand-written pino-abstract-transport router, as users write one today:
// JSON.parse every line, then one sonic-boom write per line per file.
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { endPino } from '../lib/pinoEnd.mjs'
import { W5_LOGLANES_ONLY } from '../lib/workload.mjs'

export const label = 'hand-written router (pino-abstract-transport)'

export function unsupported(work) {
  return work.maxFileSize ? W5_LOGLANES_ONLY : undefined
}

export async function setup(work, dir) {
  const target = fileURLToPath(new URL('../lib/handRouterTarget.mjs', import.meta.url))
  const logger = pino({
    level: 'debug',
    transport: { target, options: { dir, levelFiles: work.levelFiles, text: work.format === 'text' } },
  })
  const children = work.domains.map((domain) => logger.child({ domain }))
  return { children, close: () => endPino(logger) }
}
