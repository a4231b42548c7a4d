import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'winston'
import { LanesTransport } from './lanesTransport.js'

/** How `endLogger` waits for a logger to hand over what it holds. */
export interface EndLoggerOptions {
  /** Give up waiting for stuck transports after this long (the rest is ended anyway). Default 30 s. */
  readonly timeoutMs?: number
}

interface StreamState {
  length: number
}

const ending = new WeakMap<Logger, Promise<void>>()

/**
 * Ends a winston logger without losing records, and resolves once every `LanesTransport` has its bytes on disk,
 * its files closed and the maintenance pass that was due (the `symlink`, `retention`) done. Works for loggers that mix `LanesTransport` with other transports; calling it again
 * returns the same promise.
 *
 * `logger.end()` alone ends the transports as soon as the logger's writable side is done, while records can
 * still sit in its readable buffer on their way to them: they are lost or fail with "write after end"
 * (winston#2219). This waits until the logger has handed every record to its transports, then ends it.
 *
 * @example
 * ```js
 * logger.info('shutting down')
 * await endLogger(logger)
 * process.exit(0)
 * ```
 */
export function endLogger(logger: Logger, options: EndLoggerOptions = {}): Promise<void> {
  let promise = ending.get(logger)
  if (promise === undefined) {
    promise = end(logger, options.timeoutMs ?? 30_000)
    ending.set(logger, promise)
  }
  return promise
}

async function end(logger: Logger, timeoutMs: number): Promise<void> {
  const lanes = logger.transports.filter((t) => t instanceof LanesTransport) as unknown as LanesTransport[]
  if (!logger.writableFinished) {
    await handedOver(logger, timeoutMs)
    const finished = once(logger, 'finish')
    logger.end()
    await finished
  }
  // A transport that winston had already ended still closes its lanes here, and each finishes the maintenance
  // pass that is due (the link, retention): a logger that lived a second keeps what one that lived a day would.
  await Promise.all(lanes.map((transport) => transport.shutdown()))
}

/** Resolves once the logger holds no record: its write queue and its readable buffer are empty. */
async function handedOver(logger: Logger, timeoutMs: number): Promise<void> {
  const internals = logger as unknown as { _writableState?: StreamState; _readableState?: StreamState }
  const held = () => (internals._writableState?.length ?? 0) + (internals._readableState?.length ?? 0)
  // Without transports nothing drains the readable buffer: there is nothing to hand over to.
  if (logger.transports.length === 0) return
  const deadline = Date.now() + timeoutMs
  for (let round = 0; held() > 0; round++) {
    if (Date.now() > deadline) {
      process.stderr.write(`loglanes: endLogger gave up waiting for ${held()} record(s) held by the logger\n`)
      return
    }
    // Pipes move records on each turn; back off once a slow transport holds them up.
    if (round < 100) await new Promise((resolve) => setImmediate(resolve))
    else await sleep(5)
  }
}
