/**
 * @loglanes/pino — the loglanes transport for pino, running in pino's worker thread.
 *
 * @example
 * ```js
 * import pino from 'pino'
 * const logger = pino({
 *   level: 'debug',
 *   transport: { target: '@loglanes/pino', options: { dir: 'logs', domains: ['app', 'db', 'http'], interval: '1h' } },
 * })
 * logger.child({ domain: 'db' }).error({ err }, 'connection lost')
 * ```
 * @packageDocumentation
 */

import { type MessagePort, parentPort } from 'node:worker_threads'
import { LaneRouter, type LanesOptions, resolveOptions } from '@loglanes/core'
import { LanesStream, type PinoConfig } from './lanesStream.js'
import { PINO_LEVELS } from './pinoRecord.js'

export { LanesConfigError, type LanesOptions } from '@loglanes/core'
export { LanesStream, type PinoConfig } from './lanesStream.js'
export { LineScanner } from './lineScanner.js'
export { LevelLabels, PINO_LEVELS, RecordTimes } from './pinoRecord.js'

/**
 * The transport factory pino loads in its worker thread: validates the options (throwing `LanesConfigError`,
 * which pino reports to the application) and returns the stream pino writes to.
 *
 * @param options - the shared loglanes options; pino adds `levels` (its custom levels) for a single target.
 */
export default async function lanesTransport(options: LanesOptions = {}): Promise<LanesStream> {
  const router = new LaneRouter(resolveOptions(options, { levels: PINO_LEVELS }))
  const stream = new LanesStream(router, parentPort !== null)
  if (parentPort !== null) listenForPinoConfig(parentPort, stream)
  return stream
}

/** How long lines wait for pino's config before they are routed with the levels known so far. */
const CONFIG_WAIT_MS = 250

/**
 * pino posts its config to the worker just after start, in single-target, `targets` and `pipeline` mode alike:
 * with it, custom levels get their names as files even where the options could not carry them.
 */
function listenForPinoConfig(port: MessagePort, stream: LanesStream): void {
  const timer = setTimeout(done, CONFIG_WAIT_MS)
  timer.unref()
  function onMessage(message: unknown): void {
    const { code, config } = (message ?? {}) as { code?: unknown; config?: PinoConfig }
    if (code !== 'PINO_CONFIG' || config === null || typeof config !== 'object') return
    stream.configure(config)
    done()
  }
  function done(): void {
    clearTimeout(timer)
    port.off('message', onMessage)
    stream.release()
  }
  port.on('message', onMessage)
}
