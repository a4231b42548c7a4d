import type { ResolvedLanesOptions } from './options.js'
import { LANE_NAME_PATTERN } from './options.js'

/** The lanes (file stems, e.g. `db`, `error`) one record is written to, deduplicated, as indexes into `LaneSets.names`. */
export type LaneSet = readonly number[]

/** The cache key of the lane sets of labels that are not levels: no level has it, as it is not a lane name. */
const NOT_A_LEVEL = ''

/**
 * Computes and caches the lane set of each (domain, level) pair: domain lane, level lane(s), one hop of mirrors.
 * On the hot path a lookup is two `Map.get`s; a set is computed once per pair.
 *
 * Level lanes are only ever the logger's own levels (those given at start: pino's, winston's, `customLevels`, and
 * those {@link addLevels} learns from the logger). A label that is not one of them (`level-35` for a number pino
 * has no label for, `{ level: 'L5' }` from an app's data, winston's `logger.log({ level: 'evil' })`) names no
 * file: its record goes to its domain lane and the mirrors of that lane only. No file is ever created from an
 * undeclared value, and such labels share one cached set per domain, so record data cannot grow the cache.
 *
 * @example
 * ```ts
 * const sets = new LaneSets(resolveOptions({ domains: ['app', 'db'] }, { levels: { info: 30, error: 50 } }))
 * sets.lanesOf('db', 'error').map((i) => sets.names[i]) // ['db', 'error']
 * sets.lanesOf('db', 'L5').map((i) => sets.names[i]) // ['db']: not a level, no file
 * ```
 */
export class LaneSets {
  /** Lane names by index; a lane's index never changes. */
  readonly names: string[] = []
  private readonly indexOf = new Map<string, number>()
  private readonly byDomain = new Map<string, Map<string, LaneSet>>()
  private readonly declared: ReadonlySet<string>
  /**
   * Domain and extra lane names, lower-cased: a level label equal to one of them, in any case, gets no level file
   * (it would mix two lanes; `DB.log` is `db.log` on a case-insensitive file system).
   */
  private readonly otherLanes: ReadonlySet<string>
  private readonly levels: Map<string, number>
  private levelsBySeverity: readonly [string, number][]
  /** The levels that get files (`levelFiles: { levels }`); undefined: every level. */
  private readonly fileLevels: ReadonlySet<string> | undefined

  constructor(
    private readonly options: Pick<
      ResolvedLanesOptions,
      'domains' | 'defaultDomain' | 'levelFiles' | 'levels' | 'mirrors' | 'lanes'
    > &
      Partial<Pick<ResolvedLanesOptions, 'levelFileLevels'>>,
  ) {
    this.declared = new Set(options.domains)
    this.otherLanes = new Set([...options.domains, ...options.lanes].map((name) => name.toLowerCase()))
    this.levels = new Map(options.levels)
    this.levelsBySeverity = sortBySeverity(this.levels)
    const listed = options.levelFileLevels
    this.fileLevels = listed === undefined ? undefined : new Set(listed)
  }

  /**
   * Adds level labels learned at run time (e.g. the levels a logger announces after start). Labels already
   * known keep their severity; cached sets are recomputed.
   */
  addLevels(levels: Readonly<Record<string, number>>): void {
    let added = false
    for (const [label, severity] of Object.entries(levels)) {
      if (this.levels.has(label) || typeof severity !== 'number' || !Number.isFinite(severity)) continue
      this.levels.set(label, severity)
      added = true
    }
    if (!added) return
    this.levelsBySeverity = sortBySeverity(this.levels)
    this.byDomain.clear()
  }

  /** The declared domain a record with this domain value goes to: itself if declared, else `defaultDomain`. */
  domainOf(domain: unknown): string {
    return typeof domain === 'string' && this.declared.has(domain) ? domain : this.options.defaultDomain
  }

  /**
   * The lane set of a record of `level` whose domain value is `domain` (declared or not). A `level` that is not
   * one of the logger's levels gets no level lane.
   */
  lanesOf(domain: unknown, level: string): LaneSet {
    const declared = this.domainOf(domain)
    let byLevel = this.byDomain.get(declared)
    if (byLevel === undefined) {
      byLevel = new Map()
      this.byDomain.set(declared, byLevel)
    }
    let set = byLevel.get(level)
    if (set === undefined) {
      const key = this.levels.has(level) ? level : NOT_A_LEVEL
      set = byLevel.get(key)
      if (set === undefined) {
        set = this.compute(declared, key)
        byLevel.set(key, set)
      }
    }
    return set
  }

  private compute(domain: string, level: string): LaneSet {
    const base = [domain, ...this.levelLanes(level)]
    const lanes = new Set(base)
    for (const lane of base) {
      for (const target of this.options.mirrors.get(lane) ?? []) lanes.add(target)
    }
    return Object.freeze([...lanes].map((name) => this.index(name)))
  }

  private levelLanes(level: string): string[] {
    const mode = this.options.levelFiles
    if (mode === false || !LANE_NAME_PATTERN.test(level) || this.otherLanes.has(level.toLowerCase()))
      return []
    const severity = this.levels.get(level)
    // Not one of the logger's levels: a value from the record's data, never a file name.
    if (severity === undefined) return []
    const listed = this.fileLevels
    if (mode === 'exact') return listed === undefined || listed.has(level) ? [level] : []
    return this.levelsBySeverity
      .filter(([name, s]) => s <= severity && (listed === undefined || listed.has(name)))
      .map(([name]) => name)
  }

  private index(name: string): number {
    let index = this.indexOf.get(name)
    if (index === undefined) {
      index = this.names.length
      this.names.push(name)
      this.indexOf.set(name, index)
    }
    return index
  }
}

function sortBySeverity(levels: ReadonlyMap<string, number>): readonly [string, number][] {
  return [...levels].sort((a, b) => a[1] - b[1])
}
