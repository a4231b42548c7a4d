import type { Logger, StreamEntry } from 'pino'
import { LEVEL_COLORS } from '../consoleColors.js'
import {
  type Backend,
  type BackendLogger,
  type BackendSettings,
  FACADE_LEVELS,
  moreVerbose,
} from './backend.js'
import { requirePeer } from './backendPeer.js'
import type { LevelName } from './facadeTypes.js'
import { WorkerFailedError } from './workerFailedError.js'

/** thread-stream, with what its types leave out. */
type WorkerStream = ReturnType<typeof import('pino')['transport']> & {
  ref(): void
  readonly ready: boolean
  readonly writableErrored: Error | null
}

/**
 * The pino backend: `@loglanes/pino` as pino's single transport target, in its worker thread (where
 * `flush` reaches the lane files exactly), and, for the console, `pino-pretty` beside it in a multistream.
 */
export function pinoBackend(settings: BackendSettings): Backend {
  const pino = requirePeer<typeof import('pino')>('pino', "backend 'pino' (the default)")
  const transport = pino.transport({ target: '@loglanes/pino', options: settings.lanes }) as WorkerStream
  const worker = watchWorker(transport, settings.level)
  const streams: StreamEntry[] = [{ level: settings.level, stream: transport }]
  const console = settings.console
  let consoleStream: NodeJS.WritableStream | undefined
  if (console !== undefined) {
    const domainKey = settings.lanes.domainKey ?? 'domain'
    const pretty = requirePeer<typeof import('pino-pretty')>(
      'pino-pretty',
      'console output on the pino backend',
    )
    consoleStream = pretty({
      colorize: console.colors,
      customColors: Object.entries(LEVEL_COLORS)
        .map(([level, color]) => `${level}:${color}`)
        .join(','),
      translateTime: 'SYS:HH:MM:ss.l',
      messageFormat: `({${domainKey}}) {msg}`,
      ignore: `pid,hostname,${domainKey}`,
      destination: 1,
      sync: true,
    })
    streams.push({ level: console.level, stream: consoleStream })
  }
  const level = moreVerbose(settings.level, console?.level)
  // Without a console the transport is pino's only destination: no multistream step per line.
  const logger = pino({ level }, streams.length === 1 ? transport : pino.multistream(streams))
  return {
    root: bind(logger, worker),
    flush: () => flushTransport(transport, worker),
    shutdown: async () => {
      try {
        await endTransport(transport, worker)
      } finally {
        consoleStream?.end()
      }
    },
  }
}

/** What the facade knows of pino's worker thread. */
interface WorkerState {
  /** The error that flush and shutdown reject with, once the worker has failed. */
  failed(): WorkerFailedError | undefined
  /** Called for each record logged: counts the ones a failed worker will never write. */
  logged(level: LevelName): void
}

/**
 * Listens for the worker's failure: without a listener, thread-stream's 'error' event would crash the process.
 * The failure is reported once, as a process warning (`LOGLANES_WORKER_FAILED`).
 */
function watchWorker(transport: WorkerStream, fileLevel: LevelName): WorkerState {
  const count = { dropped: 0 }
  let failure: WorkerFailedError | undefined
  let warned = false
  // thread-stream records the cause at once and emits the error a turn later; a worker that ended normally
  // leaves the stream destroyed without a cause.
  const failed = () => {
    const cause = transport.writableErrored
    if (failure === undefined && cause !== null) failure = new WorkerFailedError(cause, count)
    return failure
  }
  transport.on('error', () => {
    // Each write to the dead stream emits an 'error' too; a write after end() records no cause: nothing failed.
    const error = failed()
    if (error === undefined || warned) return
    warned = true
    process.emitWarning(error.message, { code: 'LOGLANES_WORKER_FAILED' })
  })
  return {
    failed,
    logged: (level) => {
      // Records below the files' level (kept for the console) were never going to the worker.
      if (transport.writableErrored !== null && FACADE_LEVELS[level] <= FACADE_LEVELS[fileLevel])
        count.dropped++
    },
  }
}

/**
 * Resolves once the worker has written every record handed to pino. Rejects when the worker fails meanwhile:
 * thread-stream never calls back a flush whose worker dies while it waits, so its 'close' is watched too.
 */
function flushTransport(transport: WorkerStream, worker: WorkerState): Promise<void> {
  const failed = worker.failed()
  if (failed !== undefined) return Promise.reject(failed)
  return new Promise((resolve, reject) => {
    const onClose = () =>
      reject(worker.failed() ?? new Error('loglanes: the pino transport closed during flush'))
    transport.once('close', onClose)
    transport.flush((error?: Error) => {
      transport.off('close', onClose)
      if (error === undefined || error === null) resolve()
      else reject(worker.failed() ?? error)
    })
  })
}

function bind(logger: Logger, worker: WorkerState): BackendLogger {
  return {
    write(level, fields, message) {
      worker.logged(level)
      if (fields === undefined) logger[level](message as string)
      else logger[level](fields, message)
    },
    child: (bindings) => bind(logger.child(bindings), worker),
  }
}

/**
 * Ends pino's transport and resolves when its worker has written and closed every file; rejects with the
 * worker's failure instead of waiting for a worker that is gone. thread-stream's end() gives a stuck worker
 * 10 s, then fails, so this is bounded too.
 */
async function endTransport(stream: WorkerStream, worker: WorkerState): Promise<void> {
  const failedBefore = worker.failed()
  if (failedBefore !== undefined) throw failedBefore
  // pino unrefs its worker stream once ready; ref it after that so the process waits for the worker.
  // A worker that fails before it is ready closes the stream instead.
  if (!stream.ready) await firstOf(stream, ['ready', 'close'])
  const failed = worker.failed()
  if (failed !== undefined) throw failed
  stream.ref()
  const closed = firstOf(stream, ['close'])
  stream.end()
  await closed
  const failedAtEnd = worker.failed()
  if (failedAtEnd !== undefined) throw failedAtEnd
}

/** Resolves on the first of these events; unlike events.once, an 'error' does not end the wait. */
function firstOf(emitter: NodeJS.EventEmitter, events: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of events) emitter.off(event, done)
      resolve()
    }
    for (const event of events) emitter.once(event, done)
  })
}
