import { once } from 'node:events'
import pino, { type Logger, type LoggerOptions } from 'pino'

/** A pino logger whose records carry the given times, in order, then keep the last one. */
export function timedLogger<L extends string = never>(
  options: LoggerOptions<L>,
  times: () => number,
): Logger<L> {
  return pino({ base: null, ...options, timestamp: () => `,"time":${times()}` })
}

/** Ends a pino logger's transport the documented way and waits until its worker has closed every file. */
export async function endLogger(logger: object): Promise<void> {
  const stream = (logger as unknown as Record<symbol, NodeJS.EventEmitter & { end(): void }>)[
    pino.symbols.streamSym
  ]!
  const closed = once(stream, 'close')
  stream.end()
  await closed
}

/** Calls `logger.flush` and resolves when pino calls back. */
export function flushLogger(logger: Pick<Logger, 'flush'>): Promise<void> {
  return new Promise((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())))
}
