import { once } from 'node:events'
import pino, { type Logger, type StreamEntry } from 'pino'
import pretty from 'pino-pretty'
import { type Backend, type BackendLogger, type BackendSettings, moreVerbose } from './backend.js'
import { LEVEL_COLORS } from './consoleColors.js'

type WorkerStream = ReturnType<typeof pino.transport> & { ref(): void; readonly ready: boolean }

/**
 * The pino backend: `@loglanes/pino` as pino's single transport target, in its worker thread (where
 * `flush` reaches the lane files exactly), and, for the console, `pino-pretty` beside it in a multistream.
 */
export function pinoBackend(settings: BackendSettings): Backend {
  const transport = pino.transport({ target: '@loglanes/pino', options: settings.lanes }) as WorkerStream
  const streams: StreamEntry[] = [{ level: settings.level, stream: transport }]
  const console = settings.console
  let consoleStream: NodeJS.WritableStream | undefined
  if (console !== undefined) {
    const domainKey = settings.lanes.domainKey ?? 'domain'
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
    root: bind(logger),
    flush: () =>
      new Promise((resolve, reject) =>
        transport.flush((error?: Error) => (error ? reject(error) : resolve())),
      ),
    shutdown: async () => {
      await endTransport(transport)
      consoleStream?.end()
    },
  }
}

function bind(logger: Logger): BackendLogger {
  return {
    write(level, fields, message) {
      if (fields === undefined) logger[level](message as string)
      else logger[level](fields, message)
    },
    child: (bindings) => bind(logger.child(bindings)),
  }
}

/** Ends pino's transport and resolves when its worker has written and closed every file. */
async function endTransport(stream: WorkerStream): Promise<void> {
  // pino unrefs its worker stream once ready; ref it after that so the process waits for the worker.
  if (!stream.ready) await once(stream, 'ready')
  stream.ref()
  const closed = once(stream, 'close')
  stream.end()
  await closed
}
