// pino-roll, the rolling-file transport of pino, one target per level (dedupe: exact levels), daily frequency.
import { join } from 'node:path'
import pino from 'pino'
import { endPino } from '../lib/pinoEnd.mjs'
import { W5_LOGLANES_ONLY } from '../lib/workload.mjs'

export const label = 'pino-roll (targets per level)'

export function unsupported(work) {
  if (!work.levelFiles) return 'cannot route by domain: a pino target cannot filter by a field'
  return work.maxFileSize ? W5_LOGLANES_ONLY : undefined
}

export function deviation(work) {
  const text = work.format === 'text' ? '; JSON, no text format' : ''
  return `no domain files (a target cannot filter by a field); flat <level>.<date>.1.log files, no day folder${text}`
}

export function expectedFiles(work) {
  const files = {}
  for (const [file, count] of Object.entries(work.expected)) {
    if (['debug.log', 'info.log', 'warn.log', 'error.log'].includes(file)) files[file] = count
  }
  return files
}

/** pino-roll names files `<name>.<date>.<n>.log`. */
export function laneOf(file) {
  return file.replace(/\.\d{4}-\d{2}-\d{2}\.\d+\.log$/, '.log')
}

export async function setup(work, dir) {
  const targets = ['debug', 'info', 'warn', 'error'].map((level) => ({
    target: 'pino-roll',
    level,
    options: { file: join(dir, level), frequency: 'daily', dateFormat: 'yyyy-MM-dd', mkdir: true },
  }))
  const logger = pino({ level: 'debug', transport: { targets, dedupe: true } })
  return { children: work.domains.map((domain) => logger.child({ domain })), close: () => endPino(logger) }
}
