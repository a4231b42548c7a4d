import colors from '@colors/colors/safe.js'
import { endLogger, LanesTransport } from '@loglanes/winston'
import type winston from 'winston'
import { LEVEL_COLORS } from '../consoleColors.js'
import {
  type Backend,
  type BackendLogger,
  type BackendSettings,
  FACADE_LEVELS,
  moreVerbose,
} from './backend.js'
import { requirePeer } from './backendPeer.js'

/** The winston backend: one `LanesTransport`, and winston's Console transport colored with `colorize`. */
export function winstonBackend(settings: BackendSettings): Backend {
  // The value, loaded only now; the type-only import above names its types.
  const winstonModule = requirePeer<typeof winston>('winston', "backend 'winston'")
  const { format } = winstonModule
  const lanes = new LanesTransport({ ...settings.lanes, level: settings.level })
  const transports: winston.transport[] = [lanes]
  if (settings.console !== undefined) {
    // The facade has decided (TTY, NO_COLOR, FORCE_COLOR); winston's colorize would otherwise apply its own
    // heuristics (it turns colors off whenever CI is set, even on a terminal).
    if (settings.console.colors) colors.enable()
    const domainKey = settings.lanes.domainKey ?? 'domain'
    transports.push(
      new winstonModule.transports.Console({
        level: settings.console.level,
        format: format.combine(
          ...(settings.console.colors ? [format.colorize({ colors: LEVEL_COLORS })] : []),
          format.printf(
            (info) => `[${info.timestamp}] ${info.level} (${String(info[domainKey])}): ${info.message}`,
          ),
        ),
      }),
    )
  }
  const logger = winstonModule.createLogger({
    levels: FACADE_LEVELS,
    level: moreVerbose(settings.level, settings.console?.level),
    // Not finalizing: LanesTransport writes the record itself, errors with their stacks.
    format: format.timestamp(),
    transports,
  })
  return {
    root: bind(logger),
    flush: async () => lanes.flushSync(),
    shutdown: () => endLogger(logger),
  }
}

function bind(logger: winston.Logger): BackendLogger {
  return {
    write(level, fields, message) {
      logger.log(level, message ?? '', fields ?? {})
    },
    child: (bindings) => bind(logger.child(bindings)),
  }
}
