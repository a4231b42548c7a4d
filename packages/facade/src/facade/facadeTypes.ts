import type { LanesOptions, ResolvedLanesOptions } from '@loglanes/core'

/** The facade's levels, the same on both backends (pino's names). */
export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'

/**
 * One logging method, with the same call forms on both backends:
 * `(message, ...printfArgs)`, `(fields, message?, ...printfArgs)` and `(error, message?)`.
 */
export interface LogMethod {
  (message: string, ...args: unknown[]): void
  (fields: object, message?: string, ...args: unknown[]): void
}

/** The logger of one domain: every line it writes carries the domain under `domainKey`. */
export interface DomainLogger {
  readonly trace: LogMethod
  readonly debug: LogMethod
  readonly info: LogMethod
  readonly warn: LogMethod
  readonly error: LogMethod
  readonly fatal: LogMethod
  /** Logs `error` at error level with its stack; the message defaults to the error's message. */
  exception(error: unknown, message?: string): void
  /** A logger with these fields bound to every line; it keeps its domain. */
  child(bindings: Record<string, unknown>): DomainLogger
}

/** Where console output goes: `true` for the facade's level, or the lowest level shown. */
export type ConsoleOption = boolean | { readonly level?: LevelName }

/** Options of {@link createLanes}: the shared loglanes options, typed domains, and the facade's own. */
export interface CreateLanesOptions<D extends string> extends Omit<LanesOptions, 'domains' | 'levels'> {
  /** The domains; each becomes a typed member (`log.db`) and a lane (`db.log`). Default `['app']`. */
  readonly domains?: readonly D[]
  /** `'pino'` (default: the transport runs in pino's worker thread) or `'winston'`. */
  readonly backend?: 'pino' | 'winston'
  /** The lowest level written. Default `'debug'`. */
  readonly level?: LevelName
  /** The initial `debugEnabled`. Default `true`. */
  readonly debug?: boolean
  /** Console output, colored by level on a TTY. Default `false`. */
  readonly console?: ConsoleOption
}

/** What every facade has besides its domains. These names cannot be domains. */
export interface FacadeMembers<D extends string> {
  /** The logger of a declared domain; any other name throws `UnknownDomainError`. */
  get(domain: D): DomainLogger
  /** Whether debug and trace records are written. Info and above are never gated. */
  debugEnabled: boolean
  /** The declared domains, in order. */
  readonly domains: readonly D[]
  /** The resolved loglanes options. */
  readonly options: ResolvedLanesOptions
  /**
   * Resolves once every record logged so far is written to its file. On the pino backend, rejects with
   * `WorkerFailedError` once pino's worker thread has failed.
   */
  flush(): Promise<void>
  /**
   * Writes every record, closes every file; idempotent. Later calls are dropped with one warning. On the pino
   * backend, rejects with `WorkerFailedError` once pino's worker thread has failed. Until it is called, a
   * SIGTERM or SIGINT the app does not listen to shuts the facade down before the signal ends the process.
   */
  shutdown(): Promise<void>
}

/** The facade: one typed {@link DomainLogger} per declared domain, plus {@link FacadeMembers}. */
export type LanesFacade<D extends string> = FacadeMembers<D> & { readonly [K in D]: DomainLogger }

/** Names a domain cannot take: members of the facade and of every object. */
export const RESERVED_NAMES = [
  'get',
  'debugEnabled',
  'domains',
  'options',
  'flush',
  'shutdown',
  'child',
  'then',
  'constructor',
  'toString',
  'toJSON',
  'valueOf',
  'toLocaleString',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
] as const

export type ReservedName = (typeof RESERVED_NAMES)[number]
