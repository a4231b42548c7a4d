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

import type { Writable } from 'node:stream'
import { type MessagePort, parentPort, workerData } from 'node:worker_threads'
import { flushOnExit, LaneRouter, type LanesOptions, resolveOptions } from '@loglanes/core'
import { LanesStream, type PinoConfig } from './lanesStream.js'
import { PINO_LEVELS } from './pinoRecord.js'

export { LanesConfigError, type LanesOptions } from '@loglanes/core'
export { LanesStream, type PinoConfig } from './lanesStream.js'
export { LineScanner } from './lineScanner.js'
export { LevelLabels, PINO_LEVELS, RecordTimes } from './pinoRecord.js'
export { TextLineReader } from './textLine.js'

/**
 * The transport factory pino loads in its worker thread: validates the options (throwing `LanesConfigError`,
 * which pino reports to the application) and returns the stream pino writes to.
 *
 * In pino's worker, invalid options reach the application the same way in every mode (a single `target`,
 * `targets` with or without a per-target `level` or `dedupe`, a `pipeline`): the worker fails to start, and the
 * transport pino returned emits `'error'` with the `LanesConfigError` message, which crashes an application that
 * does not listen, as pino's own transports do.
 *
 * @param options - the shared loglanes options; pino adds `levels` (its custom levels) for a single target.
 * @throws LanesConfigError for invalid options or an unusable `dir`.
 * @example
 * ```js
 * const transport = pino.transport({ targets: [{ target: '@loglanes/pino', options: { dir: 'logs' } }] })
 * transport.on('error', (error) => console.error('logging is off:', error.message))
 * const logger = pino(transport)
 * ```
 */
export default async function lanesTransport(options: LanesOptions = {}): Promise<Writable> {
  // pino posts its config to the worker as it starts, in every mode: its levels are the logger's levels, exactly
  // (only the custom ones with `useOnlyCustomLevels`), so options are checked and level files made against them.
  const config = parentPort === null ? undefined : await pinoConfig(parentPort)
  const loggerLevels = levelsOf(config)
  let router: LaneRouter
  try {
    const resolved =
      loggerLevels === undefined
        ? resolveOptions(options, { levels: PINO_LEVELS })
        : resolveOptions(withoutPinoLevels(options), { levels: loggerLevels })
    router = new LaneRouter(resolved)
  } catch (error) {
    if (parentPort !== null) markThreadStreamFailed()
    throw error
  }
  const stream = new LanesStream(router)
  if (config !== undefined) stream.configure(config)
  // If the worker dies of an uncaught exception, thread-stream calls process.exit(1): write what was received.
  flushOnExit(stream)
  return stream
}

/** Where thread-stream (`lib/indexes.js`) keeps the write and read positions of its shared buffer. */
const WRITE_INDEX = 4
const READ_INDEX = 8
const FAILED = -2

/**
 * Why a factory that fails throws, and what this adds. A returned stream that fails is heard only in a single
 * target: in `targets` and pipelines, pino's worker never listens to one target's stream, and the error was lost.
 * A throw fails the whole worker in every mode: thread-stream posts the error to the main thread, where the
 * transport emits it. But the worker then exits, and a main thread already blocked in a flush (an app that calls
 * `process.exit()` at once) would wait 10 s for a reader that is gone. This marks the shared buffer failed first,
 * as thread-stream itself does when a stream fails, so such a flush fails at once instead.
 */
function markThreadStreamFailed(): void {
  const stateBuf = (workerData as { stateBuf?: unknown } | null)?.stateBuf
  if (!(stateBuf instanceof SharedArrayBuffer) || stateBuf.byteLength < (READ_INDEX + 1) * 4) return
  const state = new Int32Array(stateBuf)
  for (const index of [WRITE_INDEX, READ_INDEX]) {
    Atomics.store(state, index, FAILED)
    Atomics.notify(state, index)
  }
}

/** How long the factory waits for pino's config before it goes on with pino's default levels. */
const CONFIG_WAIT_MS = 250

let configOnce: Promise<PinoConfig | undefined> | undefined

/**
 * pino's config (`PINO_CONFIG`), posted to the worker just after start in single-target, `targets` and `pipeline`
 * mode alike; undefined if none came within {@link CONFIG_WAIT_MS}. Heard once per worker: every loglanes target
 * in it gets the same config, however late its factory runs.
 */
function pinoConfig(port: MessagePort): Promise<PinoConfig | undefined> {
  configOnce ??= new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), CONFIG_WAIT_MS)
    function onMessage(message: unknown): void {
      const { code, config } = (message ?? {}) as { code?: unknown; config?: unknown }
      if (code === 'PINO_CONFIG' && config !== null && typeof config === 'object') done(config as PinoConfig)
    }
    function done(config: PinoConfig | undefined): void {
      clearTimeout(timer)
      port.off('message', onMessage)
      resolve(config)
    }
    port.on('message', onMessage)
  })
  return configOnce
}

/** The logger's levels `{ label: number }` from pino's config: its own enumerable entries with finite numbers. */
function levelsOf(config: PinoConfig | undefined): Record<string, number> | undefined {
  const values = config?.levels?.values
  if (values === null || typeof values !== 'object') return undefined
  const levels: Record<string, number> = {}
  for (const [label, value] of Object.entries(values)) {
    if (typeof value === 'number' && Number.isFinite(value)) levels[label] = value
  }
  return Object.keys(levels).length > 0 ? levels : undefined
}

/** The options without the `levels` pino set for a single target: the config's levels say the same, and more. */
function withoutPinoLevels(options: LanesOptions): unknown {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return options
  const { levels: _levels, ...rest } = options
  return rest
}
