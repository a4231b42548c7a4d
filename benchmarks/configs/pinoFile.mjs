// pino/file: every record into ONE file, the reference every other row is compared with.
import { join } from 'node:path'
import pino from 'pino'
import { endPino } from '../lib/pinoEnd.mjs'
import { dayFolder } from '../lib/workload.mjs'

export const label = 'pino/file'
export function deviation(work) {
  const text = work.format === 'text' ? '; JSON, no text format' : ''
  const cap = work.maxFileSize ? '; no size cap' : ''
  return `one file, not routed: the reference${text}${cap}`
}

export function expectedFiles(work) {
  return { 'all.log': work.n }
}

export async function setup(work, dir) {
  const destination = join(dir, dayFolder(), 'all.log')
  const logger = pino({
    level: 'debug',
    transport: { target: 'pino/file', options: { destination, mkdir: true } },
  })
  const children = work.domains.map((domain) => logger.child({ domain }))
  return { children, close: () => endPino(logger) }
}
