import type { LanesOptions } from '@loglanes/core'
import type { LevelName } from './facadeTypes.js'

/** A logger of the backend, bound to some fields (the domain, a child's bindings). */
export interface BackendLogger {
  write(level: LevelName, fields: Record<string, unknown> | undefined, message: string | undefined): void
  child(bindings: Record<string, unknown>): BackendLogger
}

/** A logging library running the loglanes transport. */
export interface Backend {
  readonly root: BackendLogger
  /** Resolves once every record logged so far is written to its file. */
  flush(): Promise<void>
  /** Resolves once every record is written and every file closed. */
  shutdown(): Promise<void>
}

/** What the facade tells a backend. */
export interface BackendSettings {
  /** The loglanes options (validated), as the transport takes them. */
  readonly lanes: LanesOptions
  /** Lowest level written to the files. */
  readonly level: LevelName
  /** Console output: its lowest level and whether to color it; undefined for none. */
  readonly console: { readonly level: LevelName; readonly colors: boolean } | undefined
}

/** Levels of both backends, in winston's numbering (lower is more severe). */
export const FACADE_LEVELS: Readonly<Record<LevelName, number>> = {
  fatal: 0,
  error: 1,
  warn: 2,
  info: 3,
  debug: 4,
  trace: 5,
}

/** The lower (more verbose) of two levels. */
export function moreVerbose(a: LevelName, b: LevelName | undefined): LevelName {
  return b !== undefined && FACADE_LEVELS[b] > FACADE_LEVELS[a] ? b : a
}
