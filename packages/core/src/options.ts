import { resolve as resolvePath } from 'node:path'
import { closestName } from './closestName.js'
import { parseInterval } from './intervalClock.js'
import { LanesConfigError } from './lanesConfigError.js'
import { type ResolvedBounds, resolveBounds } from './optionsBounds.js'
import { compileStrftime, DEFAULT_TIMESTAMP_FORMAT } from './strftime.js'
import { createZone } from './zone.js'

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

/** File names of lanes: a letter, then letters, digits, `_` or `-`, 64 characters at most. */
export const LANE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/

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
const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
/** Names longer than a lane name can be get no "did you mean" (the edit distance is quadratic in the length). */
const MAX_SUGGESTED_LENGTH = 64
/** Nesting the options copy follows (`mirrors` → list → name); deeper values are kept as they are. */
const COPY_DEPTH = 3

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

/** Anything thrown while options were read or described, as the `LanesConfigError` every caller expects. */
function asConfigError(error: unknown): LanesConfigError {
  if (error instanceof LanesConfigError) return error
  // A value whose own code throws even when it is only described (a revoked proxy, a throwing toString).
  return new LanesConfigError(
    'options',
    'must hold plain data (reading or describing a value threw)',
    thrownMessage(error),
  )
}

/**
 * The options as plain data, read once: own enumerable properties, with arrays and plain objects copied a few
 * levels deep. Every check then sees the same values (a getter or proxy cannot answer differently on a second
 * read), and one that throws while being read is reported as a {@link LanesConfigError} naming the option.
 */
function readOptions(input: unknown): Record<string, unknown> {
  if (!readOption('options', () => isPlainObject(input)))
    throw new LanesConfigError('options', 'must be an object', input)
  return copyData(input, 'options', 0) as Record<string, unknown>
}

function copyData(value: unknown, option: string, depth: number): unknown {
  const isArray = readOption(option, () => Array.isArray(value))
  const isObject = !isArray && readOption(option, () => isPlainObject(value))
  if (depth >= COPY_DEPTH || !(isArray || isObject)) return value
  const source = value as Record<string, unknown>
  if (isArray) {
    const length = readOption(option, () => (source as unknown as unknown[]).length)
    const copy: unknown[] = []
    for (let i = 0; i < length; i++)
      copy.push(
        copyData(
          readOption(option, () => source[i]),
          option,
          depth + 1,
        ),
      )
    return copy
  }
  // A null prototype: a '__proto__' key stays an ordinary property, as JSON.parse makes it.
  const copy: Record<string, unknown> = Object.create(null)
  for (const key of readOption(option, () => Object.keys(source))) {
    const path = depth === 0 ? key : `${option}.${key}`
    copy[key] = copyData(
      readOption(path, () => source[key]),
      path,
      depth + 1,
    )
  }
  return copy
}

/**
 * `get()`, with anything it throws (a getter, a proxy trap) reported as a {@link LanesConfigError} saying that the
 * option `option` cannot be read.
 *
 * @example
 * ```ts
 * const transform = readOption('format', () => format.transform)
 * ```
 */
export function readOption<T>(option: string, get: () => T): T {
  try {
    return get()
  } catch (error) {
    throw unreadable(option, error)
  }
}

function unreadable(option: string, error: unknown): LanesConfigError {
  return new LanesConfigError(option, 'must be readable data (reading it threw)', thrownMessage(error))
}

/** The message of anything thrown, without running more of its code than that. */
export function thrownMessage(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : typeof error === 'string' ? error : typeof error
  } catch {
    return 'an error that cannot be read'
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

  const intervalMinutes = parseInterval(input.interval ?? '24h')
  const timezone = optionalString(input, 'timezone', 'local')
  const zone = createZone(timezone)
  const format = oneOf(input, 'format', ['json', 'text'] as const, 'json')
  const timestampFormat = optionalString(input, 'timestampFormat', DEFAULT_TIMESTAMP_FORMAT)
  compileStrftime(timestampFormat, zone)
  const mirrors = resolveMirrors(input.mirrors, domains, lanes, levelLanes)
  const retention = resolveRetention(input.retention, intervalMinutes)
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
    interval: intervalMinutes === null ? 'none' : String(input.interval ?? '24h'),
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
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

function optionalString(input: Record<string, unknown>, key: string, fallback: string): string {
  const value = input[key]
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.length === 0) {
    throw new LanesConfigError(key, 'must be a non-empty string', value)
  }
  return value
}

function oneOf<T extends string>(
  input: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = input[key]
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) {
    throw new LanesConfigError(key, `must be ${allowed.map((v) => `'${v}'`).join(' or ')}`, value)
  }
  return value as T
}

function checkName(option: string, name: unknown): string {
  if (typeof name !== 'string' || !LANE_NAME_PATTERN.test(name)) {
    throw new LanesConfigError(
      option,
      'must be a name of a letter followed by up to 63 letters, digits, "_" or "-" (it becomes a file name)',
      name,
    )
  }
  return name
}

function nameList(
  input: Record<string, unknown>,
  key: string,
  fallback: readonly string[],
): readonly string[] {
  const value = input[key]
  if (value === undefined) return fallback
  if (!Array.isArray(value)) throw new LanesConfigError(key, 'must be an array of names', value)
  const names = value.map((name) => checkName(key, name))
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) throw new LanesConfigError(key, 'must not list a name twice', name)
    seen.add(name)
  }
  return Object.freeze(names)
}

function resolveLevelFiles(value: unknown): {
  mode: LevelFilesMode
  listed: readonly string[] | undefined
} {
  if (value === undefined) return { mode: 'exact', listed: undefined }
  if (value === 'exact' || value === 'threshold' || value === false) return { mode: value, listed: undefined }
  if (!isPlainObject(value)) {
    throw new LanesConfigError(
      'levelFiles',
      "must be 'exact', 'threshold', false or { mode: 'exact' | 'threshold', levels: [level, ...] }",
      value,
    )
  }
  for (const key of Object.keys(value)) {
    if (key !== 'mode' && key !== 'levels') {
      throw new LanesConfigError(
        `levelFiles.${key}`,
        'is not a levelFiles option (use mode and levels)',
        value[key],
      )
    }
  }
  if (value.mode !== 'exact' && value.mode !== 'threshold') {
    throw new LanesConfigError('levelFiles.mode', "must be 'exact' or 'threshold'", value.mode)
  }
  if (value.levels === undefined)
    throw new LanesConfigError('levelFiles.levels', 'must list the levels that get files', value.levels)
  const listed = nameList({ 'levelFiles.levels': value.levels }, 'levelFiles.levels', [])
  if (listed.length === 0)
    throw new LanesConfigError('levelFiles.levels', 'must list at least one level', value.levels)
  return { mode: value.mode, listed }
}

/** Every level listed in `levelFiles.levels` must be one of the logger's. */
function checkListedLevels(listed: readonly string[], levels: ReadonlyMap<string, number>): void {
  for (const name of listed) {
    if (levels.has(name)) continue
    const known = [...levels.keys()]
    const suggestion = name.length <= MAX_SUGGESTED_LENGTH ? closestName(name, known) : undefined
    throw new LanesConfigError(
      'levelFiles.levels',
      `must list levels of the logger (${known.join(', ')})`,
      name,
      suggestion ? `did you mean '${suggestion}'?` : undefined,
    )
  }
}

function resolveLevels(input: Record<string, unknown>, context: ResolveContext): ReadonlyMap<string, number> {
  const levels = new Map<string, number>(Object.entries(context.levels ?? {}))
  for (const key of ['levels', 'customLevels'] as const) {
    const value = input[key]
    if (value === undefined) continue
    if (!isPlainObject(value)) {
      throw new LanesConfigError(key, 'must be an object of { levelName: number }', value)
    }
    for (const [label, severity] of Object.entries(value)) {
      checkName(`${key}.${label}`, label)
      if (typeof severity !== 'number' || !Number.isFinite(severity)) {
        throw new LanesConfigError(
          `${key}.${label}`,
          'must be a finite number (higher is more severe)',
          severity,
        )
      }
      levels.set(label, severity)
    }
  }
  return levels
}

/** Domain, extra lane and (with level files on) level names are file names in one folder: no clash, even by case. */
function checkNamespace(
  domains: readonly string[],
  lanes: readonly string[],
  levelNames: readonly string[],
  everyLevel: boolean,
): void {
  const owner = new Map<string, string>()
  for (const name of levelNames) owner.set(name.toLowerCase(), `level "${name}"`)
  const claim = (option: string, name: string) => {
    const existing = owner.get(name.toLowerCase())
    if (existing !== undefined) {
      // Every level has a file: listing the ones that need a file frees the others' names.
      const wayOut =
        everyLevel && existing.startsWith('level ')
          ? `or give only some levels files: levelFiles: { mode: 'exact', levels: [...] } without "${name}"`
          : undefined
      throw new LanesConfigError(
        option,
        `must not reuse a lane name: '${name}' clashes with ${existing} (domains, extra lanes and level files share one folder)`,
        name,
        wayOut,
      )
    }
    owner.set(name.toLowerCase(), `${option === 'domains' ? 'domain' : 'extra lane'} "${name}"`)
  }
  for (const name of domains) claim('domains', name)
  for (const name of lanes) claim('lanes', name)
}

/**
 * `levelNames`: the level lanes, or undefined while the logger's levels are pending, when any name that is not a
 * domain or an extra lane is taken for a level (checked again once the levels are known).
 */
function resolveMirrors(
  value: unknown,
  domains: readonly string[],
  lanes: readonly string[],
  levelNames: readonly string[] | undefined,
): ReadonlyMap<string, readonly string[]> {
  const mirrors = new Map<string, readonly string[]>()
  if (value === undefined) return mirrors
  if (!isPlainObject(value))
    throw new LanesConfigError('mirrors', 'must be an object of { lane: [lane, ...] }', value)
  const sources = [...domains, ...(levelNames ?? [])]
  const targets = [...domains, ...(levelNames ?? []), ...lanes]
  const maybeLevel = (name: unknown) =>
    levelNames === undefined &&
    typeof name === 'string' &&
    LANE_NAME_PATTERN.test(name) &&
    !domains.includes(name) &&
    !lanes.includes(name)
  for (const [key, list] of Object.entries(value)) {
    if (!sources.includes(key) && !maybeLevel(key)) {
      const suggestion = key.length <= MAX_SUGGESTED_LENGTH ? closestName(key, sources) : undefined
      const hint = lanes.includes(key)
        ? `'${key}' is an extra lane, which only receives mirrored records and so cannot be a mirror source`
        : suggestion
          ? `did you mean '${suggestion}'?`
          : undefined
      throw new LanesConfigError(
        `mirrors.${key}`,
        levelNames === undefined
          ? `must be keyed by a domain (${sources.join(', ')}) or a level of the logger`
          : `must be keyed by a domain or level lane (${sources.join(', ')})`,
        key,
        hint,
      )
    }
    if (!Array.isArray(list))
      throw new LanesConfigError(`mirrors.${key}`, 'must be an array of lane names', list)
    for (const target of list) {
      if (typeof target !== 'string' || !(targets.includes(target) || maybeLevel(target))) {
        const suggestion =
          typeof target === 'string' && target.length <= MAX_SUGGESTED_LENGTH
            ? closestName(target, targets)
            : undefined
        throw new LanesConfigError(
          `mirrors.${key}`,
          `must list only lanes (domains, level files or names declared in "lanes": ${targets.join(', ')})`,
          target,
          suggestion ? `did you mean '${suggestion}'?` : undefined,
        )
      }
    }
    mirrors.set(key, Object.freeze([...list]))
  }
  return mirrors
}

function parseDuration(option: string, value: unknown): number {
  const match = typeof value === 'string' ? /^([1-9][0-9]{0,6})([mhdw])$/.exec(value) : null
  if (!match) {
    throw new LanesConfigError(option, "must be a duration like '30m', '12h', '7d' or '4w'", value)
  }
  return Number(match[1]) * DURATION_UNITS[match[2]!]!
}

function resolveRetention(value: unknown, intervalMinutes: number | null): ResolvedRetention | undefined {
  if (value === undefined || value === false) return undefined
  if (!isPlainObject(value))
    throw new LanesConfigError('retention', 'must be an object { keep?, maxAge? }', value)
  for (const key of Object.keys(value)) {
    if (key !== 'keep' && key !== 'maxAge') {
      throw new LanesConfigError(
        `retention.${key}`,
        'is not a retention option (use keep or maxAge)',
        value[key],
      )
    }
  }
  if (value.keep === undefined && value.maxAge === undefined) {
    throw new LanesConfigError('retention', 'must set keep, maxAge or both', value)
  }
  if (intervalMinutes === null) {
    throw new LanesConfigError(
      'retention',
      "needs interval folders; it cannot be used with interval 'none'",
      value,
    )
  }
  const keep = value.keep
  if (keep !== undefined && (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 1)) {
    throw new LanesConfigError('retention.keep', 'must be an integer of at least 1', keep)
  }
  const maxAgeMs = value.maxAge === undefined ? undefined : parseDuration('retention.maxAge', value.maxAge)
  return { keep: keep as number | undefined, maxAgeMs }
}

function resolveCompress(value: unknown, intervalMinutes: number | null): false | 'gzip' {
  if (value === undefined || value === false) return false
  if (value !== 'gzip') throw new LanesConfigError('compress', "must be false or 'gzip'", value)
  if (intervalMinutes === null) {
    throw new LanesConfigError(
      'compress',
      "needs interval folders to close; it cannot be used with interval 'none'",
      value,
    )
  }
  return value
}

function resolveSymlink(value: unknown, intervalMinutes: number | null): string | false {
  if (value === undefined || value === false) return false
  const name = value === true ? 'current' : value
  if (typeof name !== 'string' || !LANE_NAME_PATTERN.test(name)) {
    throw new LanesConfigError(
      'symlink',
      'must be true, false or a link name (a letter, then letters, digits, "_" or "-")',
      value,
    )
  }
  if (intervalMinutes === null) {
    throw new LanesConfigError(
      'symlink',
      "needs interval folders to point at; it cannot be used with interval 'none'",
      value,
    )
  }
  return name
}

/**
 * A permission mode that gives the owner at least `ownerBits`: lane files are reopened to append and read back to
 * compress (`0o600`), folders are listed and entered (`0o700`); a mode without them fails only later, lane by lane.
 */
function fileMode(input: Record<string, unknown>, key: string, fallback: number, ownerBits: number): number {
  const value = input[key]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o777) {
    throw new LanesConfigError(key, 'must be a permission mode from 0 to 0o777 (e.g. 0o640)', value)
  }
  if ((value & ownerBits) !== ownerBits) {
    throw new LanesConfigError(
      key,
      `must give the owner ${ownerBits === 0o700 ? 'read, write and search (0o700)' : 'read and write (0o600)'}`,
      `0o${value.toString(8)}`,
    )
  }
  return value
}
