import {
  LanesConfigError,
  type LanesOptions,
  prepareLanesDir,
  type ResolvedLanesOptions,
  readPlainOptions,
  resolveOptions,
} from '@loglanes/core'
import { PINO_LEVELS } from '@loglanes/pino'
import { colorsWanted } from '../consoleColors.js'
import type { Backend, BackendLogger } from './backend.js'
import { asError, readCall } from './callForms.js'
import {
  type CreateLanesOptions,
  type DomainLogger,
  type LanesFacade,
  type LevelName,
  type LogMethod,
  RESERVED_NAMES,
  type ReservedName,
} from './facadeTypes.js'
import { pinoBackend } from './pinoBackend.js'
import { shutdownOnSignals } from './signalShutdown.js'
import { UnknownDomainError } from './unknownDomainError.js'
import { winstonBackend } from './winstonBackend.js'

const FACADE_OPTIONS = ['backend', 'level', 'debug', 'console']
const LEVEL_NAMES: readonly LevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']

/** A compile error for domain names that would shadow facade members. */
export type ValidDomains<D extends string> = [Extract<D, ReservedName>] extends [never]
  ? unknown
  : { readonly domains: `'${Extract<D, ReservedName>}' is a member of the facade and cannot be a domain` }

/** State shared by a facade and all its domain loggers. */
interface FacadeState {
  debugEnabled: boolean
  closed: boolean
  warnedAfterShutdown: boolean
  readonly domainKey: string
}

/**
 * Creates a typed logging facade: one logger per declared domain (`log.db.info(...)`), known to the editor
 * without code generation, writing through the loglanes transport of pino (default) or winston.
 *
 * Until `shutdown()`, the facade writes its records on SIGTERM and SIGINT without changing what they do to the
 * process: if the app listens to the signal it only flushes; if not, it shuts down (at most 5 s), then the
 * signal is raised again and ends the process as it would have.
 *
 * @throws {LanesConfigError} for invalid options, including domain names that shadow facade members.
 * @example
 * ```ts
 * import { createLanes } from 'loglanes'
 * const log = createLanes({ domains: ['app', 'db', 'redis'], dir: 'logs', interval: '1h', console: true })
 * log.app.info('Service starting')
 * log.redis.debug('Cache size: %d', 42)
 * log.debugEnabled = false // only debug and trace go quiet
 * await log.shutdown()
 * ```
 */
export function createLanes<const D extends string = 'app'>(
  // Without `domains` (or without options) nothing names D, so it is the default domain 'app', as at run time.
  options: CreateLanesOptions<D> & ValidDomains<D> = {} as CreateLanesOptions<D> & ValidDomains<D>,
): LanesFacade<D> {
  const facade = resolveFacadeOptions(options)
  // Checked here too, so a bad `dir` throws from this call with either backend, not later from pino's worker.
  prepareLanesDir(facade.resolved.dir, facade.resolved.dirMode)
  const settings = {
    lanes: facade.lanes,
    level: facade.level,
    console:
      facade.consoleLevel === undefined ? undefined : { level: facade.consoleLevel, colors: colorsWanted() },
  }
  const engine = facade.backend === 'pino' ? pinoBackend(settings) : winstonBackend(settings)
  return new Facade(facade.resolved, engine, facade.debug) as unknown as LanesFacade<D>
}

/** The facade's options, validated, with defaults applied. */
export interface ResolvedFacadeOptions {
  readonly resolved: ResolvedLanesOptions
  /** The loglanes options as given, for the transport. */
  readonly lanes: LanesOptions
  readonly backend: 'pino' | 'winston'
  readonly level: LevelName
  readonly debug: boolean
  readonly consoleLevel: LevelName | undefined
}

/**
 * Validates everything `createLanes` takes, without creating a logger.
 * @throws {LanesConfigError} naming the option, what it accepts and the value received.
 */
export function resolveFacadeOptions(options: unknown): ResolvedFacadeOptions {
  const {
    backend = 'pino',
    level = 'debug',
    debug = true,
    console: consoleOption = false,
    ...lanes
  } = readPlainOptions(options) as CreateLanesOptions<string> & Record<string, unknown>
  if (backend !== 'pino' && backend !== 'winston') {
    throw new LanesConfigError('backend', "must be 'pino' or 'winston'", backend)
  }
  checkLevel('level', level)
  if (typeof debug !== 'boolean') throw new LanesConfigError('debug', 'must be true or false', debug)
  const consoleLevel = resolveConsole(consoleOption, level)
  const resolved = resolveOptions(lanes, { levels: PINO_LEVELS, extraOptions: FACADE_OPTIONS })
  for (const domain of resolved.domains) {
    if ((RESERVED_NAMES as readonly string[]).includes(domain)) {
      throw new LanesConfigError(
        'domains',
        `must not shadow a member of the facade (${RESERVED_NAMES.join(', ')})`,
        domain,
      )
    }
  }
  // What pino sets for a target itself means nothing from a caller, and may not survive the copy into its worker.
  for (const key of PINO_SET_OPTIONS) delete lanes[key]
  return { resolved, lanes: lanes as LanesOptions, backend, level, debug, consoleLevel }
}

const PINO_SET_OPTIONS = ['$context', 'pinoWillSendConfig']
function checkLevel(option: string, level: unknown): asserts level is LevelName {
  if (!LEVEL_NAMES.includes(level as LevelName)) {
    throw new LanesConfigError(option, `must be one of ${LEVEL_NAMES.join(', ')}`, level)
  }
}

function resolveConsole(value: unknown, level: LevelName): LevelName | undefined {
  if (value === false || value === undefined) return undefined
  if (value === true) return level
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { level: consoleLevel = level, ...rest } = value as { level?: unknown }
    const unknownKey = Object.keys(rest)[0]
    if (unknownKey !== undefined) {
      throw new LanesConfigError(`console.${unknownKey}`, 'is not a console option (use level)', value)
    }
    checkLevel('console.level', consoleLevel)
    return consoleLevel
  }
  throw new LanesConfigError('console', 'must be true, false or { level }', value)
}

class Facade {
  readonly domains: readonly string[]
  readonly options: ResolvedLanesOptions
  readonly #engine: Backend
  readonly #state: FacadeState
  readonly #loggers = new Map<string, DomainLogger>()
  #shutdown: Promise<void> | undefined
  readonly #stopSignals: () => void

  constructor(options: ResolvedLanesOptions, engine: Backend, debug: boolean) {
    this.options = options
    this.domains = options.domains
    this.#engine = engine
    this.#state = {
      debugEnabled: debug,
      closed: false,
      warnedAfterShutdown: false,
      domainKey: options.domainKey,
    }
    for (const domain of options.domains) {
      const logger = domainLogger(this.#state, engine.root.child({ [options.domainKey]: domain }))
      this.#loggers.set(domain, logger)
      Object.defineProperty(this, domain, { value: logger, enumerable: true })
    }
    // A SIGTERM or SIGINT the app does not handle would kill the process with lines still on their way.
    this.#stopSignals = shutdownOnSignals({ flush: () => this.flush(), shutdown: () => this.shutdown() })
  }

  get debugEnabled(): boolean {
    return this.#state.debugEnabled
  }

  set debugEnabled(enabled: boolean) {
    this.#state.debugEnabled = Boolean(enabled)
  }

  get(domain: string): DomainLogger {
    const logger = typeof domain === 'string' ? this.#loggers.get(domain) : undefined
    if (logger === undefined) throw new UnknownDomainError(domain, this.domains)
    return logger
  }

  async flush(): Promise<void> {
    if (!this.#state.closed) await this.#engine.flush()
  }

  shutdown(): Promise<void> {
    if (this.#shutdown === undefined) {
      this.#state.closed = true
      this.#stopSignals()
      this.#shutdown = this.#engine.shutdown()
    }
    return this.#shutdown
  }
}

function domainLogger(state: FacadeState, backend: BackendLogger): DomainLogger {
  const write = (level: LevelName, args: readonly unknown[]) => {
    if (state.closed) {
      warnAfterShutdown(state)
      return
    }
    if ((level === 'debug' || level === 'trace') && !state.debugEnabled) return
    const call = readCall(args)
    backend.write(level, withoutDomain(call.fields, state.domainKey), call.message)
  }
  const method = (level: LevelName): LogMethod => ((...args: unknown[]) => write(level, args)) as LogMethod
  return {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    exception(error, message) {
      const err = asError(error)
      write('error', [{ err }, message ?? err.message])
    },
    child: (bindings) => domainLogger(state, backend.child(withoutDomain(bindings, state.domainKey) ?? {})),
  }
}

/** A logger's domain is fixed: a field of the same name would route the line elsewhere, so it is left out. */
function withoutDomain(
  fields: Record<string, unknown> | undefined,
  domainKey: string,
): Record<string, unknown> | undefined {
  if (fields === undefined || !Object.hasOwn(fields, domainKey)) return fields
  const { [domainKey]: _dropped, ...rest } = fields
  return rest
}

function warnAfterShutdown(state: FacadeState): void {
  if (state.warnedAfterShutdown) return
  state.warnedAfterShutdown = true
  process.emitWarning('a record was logged after shutdown() and dropped; later ones are dropped silently', {
    code: 'LOGLANES_AFTER_SHUTDOWN',
  })
}
