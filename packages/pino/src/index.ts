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

import { Writable } from 'node:stream'
import { type MessagePort, parentPort } from 'node:worker_threads'
import { flushOnExit, LaneRouter, type LanesOptions, resolveOptions } from '@loglanes/core'
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
 * @throws LanesConfigError for invalid options or an unusable `dir` (in pino's worker: the returned stream fails
 *   with it, which pino reports as the transport's 'error' event).
 */
export default async function lanesTransport(options: LanesOptions = {}): Promise<Writable> {
  let router: LaneRouter
  try {
    router = new LaneRouter(resolveOptions(options, { levels: PINO_LEVELS }))
  } catch (error) {
    if (parentPort === null) throw error
    return failedStream(error as Error)
  }
  const stream = new LanesStream(router, parentPort !== null)
  // If the worker dies of an uncaught exception, thread-stream calls process.exit(1): write what was received.
  flushOnExit(stream)
  if (parentPort !== null) listenForPinoConfig(parentPort, stream)
  return stream
}

/**
 * In pino's worker, a factory that throws leaves the main thread's `end()` and exit flush waiting 10 s for a
 * worker that is gone. A stream that fails instead makes thread-stream mark its buffer failed at once and pass
 * the error on: the application gets the `LanesConfigError` as the transport's 'error' event without a stall.
 */
function failedStream(error: Error): Writable {
  const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() })
  stream.on('newListener', function onListener(event: string) {
    if (event !== 'error') return
    stream.off('newListener', onListener)
    // Right after thread-stream's listener is attached, and before it tells the app the worker is ready: the app
    // stays alive until then, so even a short-lived one receives the error.
    queueMicrotask(() => {
      stream.emit('error', error)
      stream.destroy()
    })
  })
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
