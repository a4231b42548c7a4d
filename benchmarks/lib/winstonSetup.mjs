import { once } from 'node:events'
import winston from 'winston'

/** Levels for the winston rows: the W1 levels, so a domain named http does not clash with npm's http level. */
export const WINSTON_LEVELS = { error: 0, warn: 1, info: 2, debug: 3 }

/** The logger format winston's docs show for files: a timestamp, then JSON, or printf text for W3. */
export function loggerFormat(work) {
  const { format } = winston
  if (work.format !== 'text') return format.combine(format.timestamp(), format.json())
  return format.combine(
    format.timestamp({ format: 'YYYY-MM-DD HH:mm:ss.SSS' }),
    format.printf(({ timestamp, level, message, domain, ...fields }) => {
      return `${timestamp} ${level.toUpperCase()} [${domain}] ${message} ${JSON.stringify(fields)}`
    }),
  )
}

/** Per-domain children with the call shape the harness uses, `(fields, message)`. */
export function winstonChildren(logger, domains) {
  return domains.map((domain) => {
    const child = logger.child({ domain })
    return {
      debug: (fields, message) => child.debug(message, fields),
      info: (fields, message) => child.info(message, fields),
      warn: (fields, message) => child.warn(message, fields),
      error: (fields, message) => child.error(message, fields),
    }
  })
}

/** winston's documented shutdown: end the logger and wait for its 'finish'. */
export async function endWinston(logger) {
  const finished = once(logger, 'finish')
  logger.end()
  await finished
}

/** A format that keeps only records of one domain or one level (the usual way to split files in winston). */
export const only = winston.format((info, { domain, level }) => {
  if (domain !== undefined && info.domain !== domain) return false
  if (level !== undefined && info[Symbol.for('level')] !== level) return false
  return info
})

/** A winston logger with the workload's levels and format, over the given transports. */
export function winstonLogger(work, transports) {
  return winston.createLogger({
    levels: WINSTON_LEVELS,
    level: 'debug',
    format: loggerFormat(work),
    transports,
  })
}
