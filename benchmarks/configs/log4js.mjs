// log4js: a category per domain, a file appender per output file, logLevelFilter for exact level files.
import { join } from 'node:path'
import log4js from 'log4js'
import { dayFolder, MESSAGE, W5_LOGLANES_ONLY } from '../lib/workload.mjs'

export const label = 'log4js (categories + logLevelFilter)'

export function unsupported(work) {
  if (work.maxFileSize) return W5_LOGLANES_ONLY
  if (work.domains.length > 1000)
    return `${work.domains.length.toLocaleString('en-US')} domains would take a category and a file appender per domain; W6 runs the reference, the hand-written router and loglanes`
  return undefined
}

export async function setup(work, dir) {
  const folder = join(dir, dayFolder())
  // A JSON layout as log4js documents with addLayout, or its pattern layout for text.
  log4js.addLayout(
    'json',
    () => (event) =>
      JSON.stringify({
        level: event.level.levelStr,
        time: event.startTime.getTime(),
        domain: event.categoryName,
        ...event.data[0],
        msg: event.data[1],
      }),
  )
  // Text: the pattern layout, with tokens so the fields stay on one line (%m would inspect them over several).
  const layout =
    work.format === 'text'
      ? {
          type: 'pattern',
          pattern: '%d{yyyy-MM-dd hh:mm:ss.SSS} %p [%c] %x{message} %x{fields}',
          tokens: { message: (event) => event.data[1], fields: (event) => JSON.stringify(event.data[0]) },
        }
      : { type: 'json' }
  const appenders = {}
  for (const domain of work.domains)
    appenders[domain] = { type: 'file', filename: join(folder, `${domain}.log`), layout }
  const levelAppenders = []
  if (work.levelFiles) {
    for (const level of ['debug', 'info', 'warn', 'error']) {
      appenders[`${level}File`] = { type: 'file', filename: join(folder, `${level}.log`), layout }
      appenders[level] = { type: 'logLevelFilter', appender: `${level}File`, level, maxLevel: level }
      levelAppenders.push(level)
    }
  }
  const categories = { default: { appenders: [work.domains[0]], level: 'debug' } }
  for (const domain of work.domains)
    categories[domain] = { appenders: [domain, ...levelAppenders], level: 'debug' }
  log4js.configure({ appenders, categories })
  const children = work.domains.map((domain) => {
    const logger = log4js.getLogger(domain)
    // The harness calls (fields, message); log4js takes the data as arguments.
    return {
      debug: (fields, message) => logger.debug(fields, message ?? MESSAGE),
      info: (fields, message) => logger.info(fields, message ?? MESSAGE),
      warn: (fields, message) => logger.warn(fields, message ?? MESSAGE),
      error: (fields, message) => logger.error(fields, message ?? MESSAGE),
    }
  })
  return { children, close: () => new Promise((resolve) => log4js.shutdown(resolve)) }
}
