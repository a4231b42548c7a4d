import { once } from 'node:events'
import pino from 'pino'

/**
 * Ends a pino transport as pino's own exit hook does: ref the (unref'd) worker stream so the process waits,
 * end it, and resolve on 'close', when the worker has finished.
 */
export async function endPino(logger) {
  const stream = logger[pino.symbols.streamSym]
  // pino unrefs the stream when its worker is ready: wait for that, or our ref() would be undone.
  if (!stream.ready) await once(stream, 'ready')
  stream.ref()
  const closed = once(stream, 'close')
  stream.end()
  await closed
}
