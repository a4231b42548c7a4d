// pino.multistream on the main thread, as pino's docs show: a destination per level with dedupe (exact levels),
// and one pino instance per domain (a destination cannot filter by a field), sharing the level streams.
import { once } from 'node:events'
import { join } from 'node:path'
import pino from 'pino'
import { dayFolder, W5_LOGLANES_ONLY } from '../lib/workload.mjs'

export const label = 'pino.multistream (main thread)'

export function deviation(work) {
  return work.format === 'text' ? 'writes JSON: no text format without pino-pretty' : undefined
}

export function unsupported(work) {
  if (work.maxFileSize) return W5_LOGLANES_ONLY
  if (work.domains.length > 1000)
    return `${work.domains.length.toLocaleString('en-US')} domains would take a pino instance and a destination per domain; W6 runs the reference, the hand-written router and loglanes`
  return undefined
}

export async function setup(work, dir) {
  const folder = join(dir, dayFolder())
  const destinations = []
  const destination = (name) => {
    const stream = pino.destination({ dest: join(folder, `${name}.log`), mkdir: true, sync: false })
    destinations.push(stream)
    return stream
  }
  const levels = work.levelFiles
    ? pino.multistream(
        ['debug', 'info', 'warn', 'error'].map((level) => ({ level, stream: destination(level) })),
        { dedupe: true },
      )
    : undefined
  const children = work.domains.map((domain) => {
    const streams = [{ level: 'debug', stream: destination(domain) }]
    if (levels) streams.push({ level: 'debug', stream: levels })
    return pino({ level: 'debug', base: { domain } }, pino.multistream(streams))
  })
  await Promise.all(destinations.map((stream) => once(stream, 'ready')))
  return {
    children,
    close: async () => {
      await Promise.all(
        destinations.map((stream) => {
          const closed = once(stream, 'close')
          stream.end()
          return closed
        }),
      )
    },
  }
}
