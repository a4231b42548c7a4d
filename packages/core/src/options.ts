import { resolve as resolvePath } from 'node:path'
import { closestName } from './closestName.js'
import { LanesConfigError } from './lanesConfigError.js'
import { type ResolvedBounds, resolveBounds } from './optionsBounds.js'
import { resolveCompress, resolveSymlink } from './optionsMaintenance.js'
import {
  checkListedLevels,
  checkNamespace,
  MAX_SUGGESTED_LENGTH,
  nameList,
  resolveLevelFiles,
  resolveLevels,
  resolveMirrors,
} from './optionsNames.js'
import { asConfigError, fileMode, oneOf, optionalString, readOptions } from './optionsRead.js'
import { resolveRetention } from './optionsRetention.js'
import { resolveClock, resolveTimestampFormat } from './optionsTime.js'

// Option resolution by concern: optionsRead (plain data, single values), optionsNames (names and lanes),
// optionsTime, optionsRetention, optionsMaintenance (compress, symlink) and optionsBounds (sizes and bounds).

/** How records are copied into per-level files. */
export type LevelFilesMode = 'exact' | 'threshold' | false

/**
 * Level files for the listed levels only: `exact`, each record in the file of its level when that level is
 * listed; `threshold`, each listed level's file holds the records at or above it. Leaves other level names free
 * for domains (an `http` domain with winston's default levels: list `error`, `warn`, `info`).
 *
 * @example
 * ```ts
 * const options: LanesOptions = { domains: ['app', 'http'], levelFiles: { mode: 'exact', levels: ['error', 'warn', 'info'] } }
 * ```
 */
export interface LevelFilesList {
  readonly mode: 'exact' | 'threshold'
  /** Level names of the logger, at least one. */
  readonly levels: readonly string[]
}

/** Which interval folders are kept. The active and the previous interval are always kept. */
export interface RetentionOptions {
  /** Keep at most this many of the newest interval folders (an integer ≥ 1). */
  readonly keep?: number
  /** Delete interval folders whose interval ended longer ago than this: `'30m'`, `'12h'`, `'7d'`, `'4w'`. */
  readonly maxAge?: string
  /**
   * Bytes (size syntax as `maxFileSize`: `'10GB'`) the interval folders of `dir` may hold together, archives
   * included: beyond it the oldest folders are deleted first, never the interval of now or the one before it
   * (when those alone hold more, that is reported once as a `maintenanceError`). It wins over `keep` and `maxAge`.
   */
  readonly maxTotalSize?: number | string
  /**
   * Per-lane ages `{ lane: { maxAge } }` (a domain, level or extra lane): a shorter one deletes that lane's files
   * (every part and archive) from older folders, which stay for the other lanes; a longer one keeps that lane's
   * files, alone, in folders `keep` and `maxAge` delete. `maxTotalSize` wins over every age.
   */
  readonly lanes?: Readonly<Record<string, { readonly maxAge: string }>>
}

/**
 * The options shared by every loglanes entry point (`@loglanes/pino`, `@loglanes/winston`, `loglanes`).
 *
 * @example
 * ```ts
 * const options: LanesOptions = {
 *   dir: 'logs',
 *   domains: ['app', 'db', 'http'],
 *   interval: '1h',
 *   mirrors: { error: ['alerts'] },
 *   lanes: ['alerts'],
 * }
 * ```
 */
export interface LanesOptions {
  /** Base folder, created if missing. Default `'logs'`. */
  readonly dir?: string
  /** Declared domain lanes; each becomes `<domain>.log`. Default `['app']`. */
  readonly domains?: readonly string[]
  /** The record field that names the domain. Default `'domain'`. */
  readonly domainKey?: string
  /** Lane for records with no or an undeclared domain. Default: the first domain. */
  readonly defaultDomain?: string
  /**
   * `'exact'` (one file per level), `'threshold'` (every level at or below), `false`, or `{ mode, levels }` (files
   * for the listed levels only). Default `'exact'`.
   */
  readonly levelFiles?: LevelFilesMode | LevelFilesList
  /** Extra level labels `{ name: number }` (higher is more severe), for pino `targets` mode. */
  readonly customLevels?: Readonly<Record<string, number>>
  /** `Nm`/`Nh` dividing a day evenly (`1m` … `24h`), or `'none'`. Default `'24h'`. */
  readonly interval?: string
  /** `'local'`, `'UTC'` or an IANA zone; folders align to its wall clock. Default `'local'`. */
  readonly timezone?: string
  /** `{ lane: [lane, ...] }`: one hop of copies. Default `{}`. */
  readonly mirrors?: Readonly<Record<string, readonly string[]>>
  /** Extra lane names usable as mirror targets. Default `[]`. */
  readonly lanes?: readonly string[]
  /** `'json'` (NDJSON, lines pass through unchanged) or `'text'`. Default `'json'`. */
  readonly format?: 'json' | 'text'
  /** strftime format of the text format's timestamp. Default ISO 8601 with ms and offset. */
  readonly timestampFormat?: string
  /** Interval folders kept. Default: all. */
  readonly retention?: RetentionOptions
  /** `'gzip'`: files of closed interval folders become `<lane>.log.gz`. Default `false`. */
  readonly compress?: false | 'gzip'
  /** `true` or a name: `<dir>/current` links to the active interval folder. Default `false`. */
  readonly symlink?: boolean | string
  /**
   * Bytes (or `'512KB'`, `'100MB'`, `'1GB'`, 1024-based) a lane file may reach in a folder: past it the lane goes on
   * in `<lane>.1.log`, `<lane>.2.log`, ... A record larger than the cap sits alone in its part. Default: no cap.
   */
  readonly maxFileSize?: number | string
  /**
   * Bytes (size syntax as `maxFileSize`) held in memory for every lane that cannot write (a full disk), together:
   * beyond it their new records are refused, counted and reported (`recordsDropped`). Default `'64MB'`.
   */
  readonly maxHeldSize?: number | string
  /** Lane files open at once per process; the least recently written is closed first and reopened. Default 256. */
  readonly maxOpenFiles?: number
  /** Mode of created lane files (the umask applies); must include `0o600`. Default `0o640`. */
  readonly fileMode?: number
  /** Mode of created folders (the umask applies); must include `0o700`. Default `0o750`. */
  readonly dirMode?: number
  /** Set by pino for a single target: the logger's custom levels `{ label: number }`. */
  readonly levels?: Readonly<Record<string, number>>
  /** Set by pino for a single target. */
  readonly pinoWillSendConfig?: boolean
  /** Set by pino for a single target. */
  readonly $context?: unknown
}

/** Options after validation, with every default applied. */
export interface ResolvedLanesOptions extends ResolvedBounds {
  /** Absolute base folder. */
  readonly dir: string
  readonly domains: readonly string[]
  readonly domainKey: string
  readonly defaultDomain: string
  readonly levelFiles: LevelFilesMode
  /** The levels that get files (`levelFiles: { levels }`); undefined: every level (with `levelFiles` on). */
  readonly levelFileLevels: readonly string[] | undefined
  /** Every known level label and its severity (higher is more severe). */
  readonly levels: ReadonlyMap<string, number>
  readonly interval: string
  /** Interval length in minutes; `null` for `'none'`. */
  readonly intervalMinutes: number | null
  readonly timezone: string
  readonly mirrors: ReadonlyMap<string, readonly string[]>
  readonly lanes: readonly string[]
  readonly format: 'json' | 'text'
  readonly timestampFormat: string
  readonly retention: ResolvedRetention | undefined
  readonly compress: false | 'gzip'
  /** Name of the link to the active folder, or `false`. */
  readonly symlink: string | false
  readonly fileMode: number
  readonly dirMode: number
}

export interface ResolvedRetention {
  readonly keep: number | undefined
  readonly maxAgeMs: number | undefined
  /** Bytes the interval folders may hold together; undefined: no budget. */
  readonly maxTotalSize: number | undefined
  /** `retention.lanes`: each lane's own maxAge in ms (empty: none). */
  readonly laneMaxAgeMs: ReadonlyMap<string, number>
}

/** What the entry point knows that the options do not say. */
export interface ResolveContext {
  /** The levels of the logger in use, `{ label: severity }`, higher is more severe (e.g. pino's defaults). */
  readonly levels?: Readonly<Record<string, number>>
  /** Option names the entry point handles itself (e.g. the facade's `backend`); accepted and ignored here. */
  readonly extraOptions?: readonly string[]
  /**
   * The logger's levels are not known yet (a winston transport before it is added to a logger): names that can
   * only be levels (mirror keys and targets, `levelFiles.levels`) are checked as names only, and clashes with
   * level names are not checked. Resolve again with `levels` once they are known.
   */
  readonly levelsPending?: boolean
}

export { LANE_NAME_PATTERN } from './optionsNames.js'
export { readOption, thrownMessage } from './optionsRead.js'

/** The name of every option a user sets (pino's own `levels` aside). */
export const LANES_OPTION_NAMES = [
  'dir',
  'domains',
  'domainKey',
  'defaultDomain',
  'levelFiles',
  'customLevels',
  'interval',
  'timezone',
  'mirrors',
  'lanes',
  'format',
  'timestampFormat',
  'retention',
  'compress',
  'symlink',
  'maxFileSize',
  'maxHeldSize',
  'maxOpenFiles',
  'fileMode',
  'dirMode',
] as const
const PINO_OPTIONS = ['levels', 'pinoWillSendConfig', '$context']

/**
 * Validates loglanes options and applies every default, before any file is touched.
 *
 * @throws {LanesConfigError} naming the option, what it accepts and the value received.
 * @example
 * ```ts
 * const options = resolveOptions({ domains: ['app', 'db'], interval: '1h' }, { levels: { info: 30, error: 50 } })
 * options.defaultDomain // 'app'
 * ```
 */
export function resolveOptions(input: unknown = {}, context: ResolveContext = {}): ResolvedLanesOptions {
  try {
    return resolveCopy(readOptions(input), context)
  } catch (error) {
    throw asConfigError(error)
  }
}

/**
 * Options as plain data, read once, for an entry point that takes more than loglanes options (winston's, the
 * facade's) and must hand on exactly what was validated: own enumerable properties, arrays and plain objects
 * copied a few levels deep, class instances (a winston format) kept as they are.
 *
 * @throws LanesConfigError when `input` is not an object or reading it throws (a getter, a proxy)
 * @example
 * ```ts
 * const { backend, ...lanes } = readPlainOptions(userOptions)
 * ```
 */
export function readPlainOptions(input: unknown): Record<string, unknown> {
  try {
    return readOptions(input)
  } catch (error) {
    throw asConfigError(error)
  }
}

function resolveCopy(input: Record<string, unknown>, context: ResolveContext): ResolvedLanesOptions {
  checkKnownKeys(input, context.extraOptions ?? [])

  const dir = optionalString(input, 'dir', 'logs')
  if (dir.includes('\0')) throw new LanesConfigError('dir', 'must not contain a NUL character', dir)
  const domains = nameList(input, 'domains', ['app'])
  if (domains.length === 0)
    throw new LanesConfigError('domains', 'must declare at least one domain', input.domains)
  const domainKey = optionalString(input, 'domainKey', 'domain')
  const defaultDomain = optionalString(input, 'defaultDomain', domains[0]!)
  if (!domains.includes(defaultDomain)) {
    throw new LanesConfigError(
      'defaultDomain',
      `must be one of the declared domains (${domains.join(', ')})`,
      defaultDomain,
    )
  }
  const { mode: levelFiles, listed } = resolveLevelFiles(input.levelFiles)
  const levels = resolveLevels(input, context)
  const pending = context.levelsPending === true
  if (listed !== undefined && !pending) checkListedLevels(listed, levels)
  // The level lanes (file names) when they are known: none, the listed ones, or every level of the logger.
  const levelLanes = levelFiles === false ? [] : (listed ?? (pending ? undefined : [...levels.keys()]))
  const lanes = nameList(input, 'lanes', [])
  checkNamespace(domains, lanes, levelLanes ?? [], listed === undefined && levelFiles !== false)

  const { interval, intervalMinutes, timezone, zone } = resolveClock(input)
  const format = oneOf(input, 'format', ['json', 'text'] as const, 'json')
  const timestampFormat = resolveTimestampFormat(input, zone)
  const mirrors = resolveMirrors(input.mirrors, domains, lanes, levelLanes)
  const retention = resolveRetention(input.retention, intervalMinutes, { domains, lanes, levelLanes })
  const compress = resolveCompress(input.compress, intervalMinutes)
  const symlink = resolveSymlink(input.symlink, intervalMinutes)
  const bounds = resolveBounds(input)

  return {
    ...bounds,
    dir: resolvePath(dir),
    domains,
    domainKey,
    defaultDomain,
    levelFiles,
    levelFileLevels: listed,
    levels,
    interval,
    intervalMinutes,
    timezone,
    mirrors,
    lanes,
    format,
    timestampFormat,
    retention,
    compress,
    symlink,
    fileMode: fileMode(input, 'fileMode', 0o640, 0o600),
    dirMode: fileMode(input, 'dirMode', 0o750, 0o700),
  }
}

function checkKnownKeys(input: Record<string, unknown>, extra: readonly string[]): void {
  const known = [...LANES_OPTION_NAMES, ...extra]
  for (const key of Object.keys(input)) {
    if (known.includes(key) || PINO_OPTIONS.includes(key)) continue
    const suggestion = key.length <= MAX_SUGGESTED_LENGTH ? closestName(key, known) : undefined
    throw new LanesConfigError(
      key,
      'is not a loglanes option',
      input[key],
      suggestion ? `did you mean "${suggestion}"?` : `known options: ${known.join(', ')}`,
    )
  }
}
