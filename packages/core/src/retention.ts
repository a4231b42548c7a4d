/** An interval folder as retention sees it. */
export interface RetentionFolder {
  readonly name: string
  /** Its interval's wall-clock start (as a UTC epoch): orders folders, larger is newer. */
  readonly wallStart: number
  /** When its interval ends (epoch ms); the latest end when a DST fall-back gives the name two runs. */
  readonly end: number
  /** Bytes of the regular files in it, archives included (for `maxTotalSize`); undefined: not measured, 0. */
  readonly bytes?: number
  /** The lanes with files in it (see {@link laneOfFile}) and their bytes; undefined: not measured, none. */
  readonly lanes?: ReadonlyMap<string, number>
}

/** What {@link foldersToDelete} decides on. */
export interface RetentionRequest {
  /** The interval folders in `dir`, plus any about to be written (they count toward `keep` but are in `kept`). */
  readonly folders: readonly RetentionFolder[]
  /** Keep at most this many of the newest folders; undefined for no limit. */
  readonly keep: number | undefined
  /** Delete folders whose interval ended more than this long before `now`; undefined for no limit. */
  readonly maxAgeMs: number | undefined
  /** The current time (epoch ms). */
  readonly now: number
  /** Names never deleted: the interval of now, the active one, the one being written, and the one before each. */
  readonly kept: ReadonlySet<string>
  /**
   * The `wallStart` of the newest interval the clock allows records in: that of `now` plus
   * `MAX_CLOCK_SKEW_MS` (5 minutes). Folders after it hold records timed in the future (a wrong clock, a bad or hostile
   * time): they neither count toward `keep`, so they cannot push real past folders out, nor are deleted, since
   * nothing says how old they are; once their interval comes they count as any other. Undefined: every folder
   * counts.
   */
  readonly horizon?: number | undefined
}

/**
 * Decides which interval folders retention deletes: those beyond the newest `keep` and those whose interval
 * ended more than `maxAgeMs` ago, never one named in `kept` nor one after the `horizon`. Pure: it only looks at
 * names and times.
 *
 * @returns the names to delete, oldest first.
 * @example
 * ```ts
 * const folders = ['2026-11-18', '2026-11-19', '2026-11-20'].map((name, i) => ({
 *   name,
 *   wallStart: Date.UTC(2026, 10, 18 + i),
 *   end: Date.UTC(2026, 10, 19 + i),
 * }))
 * foldersToDelete({ folders, keep: 2, maxAgeMs: undefined, now: Date.UTC(2026, 10, 20, 12), kept: new Set(['2026-11-20']) })
 * // ['2026-11-18']
 * ```
 */
export function foldersToDelete(request: RetentionRequest): string[] {
  const { keep, maxAgeMs, now, kept, horizon } = request
  const unique = new Map<string, RetentionFolder>()
  for (const folder of request.folders) {
    if (horizon === undefined || folder.wallStart <= horizon) unique.set(folder.name, folder)
  }
  const newestFirst = [...unique.values()].sort((a, b) => b.wallStart - a.wallStart)
  const doomed: RetentionFolder[] = []
  newestFirst.forEach((folder, rank) => {
    if (kept.has(folder.name)) return
    const beyondKeep = keep !== undefined && rank >= keep
    const tooOld = maxAgeMs !== undefined && now - folder.end > maxAgeMs
    if (beyondKeep || tooOld) doomed.push(folder)
  })
  return doomed.reverse().map((folder) => folder.name)
}

/** What {@link planRetention} decides on: {@link RetentionRequest}, the lanes' own ages and the budget. */
export interface RetentionPlanRequest extends RetentionRequest {
  /** Bytes the folders may hold together (their `bytes`); undefined for no budget. */
  readonly maxTotalSize?: number | undefined
  /**
   * Lanes with their own `maxAge` (ms): their files go from folders whose interval ended longer ago than it, and
   * stay in folders `keep` and `maxAge` delete while their interval ended less long ago than it.
   */
  readonly laneMaxAgeMs?: ReadonlyMap<string, number> | undefined
}

/**
 * A folder that stays with fewer files: with `only`, every file but those of `lanes` is deleted (a folder the
 * folder-wide rules delete, kept for lanes with a longer age); without, the files of `lanes` are.
 */
export interface LaneTrim {
  readonly folder: string
  readonly lanes: readonly string[]
  readonly only: boolean
}

/** What retention deletes in one pass. */
export interface RetentionPlan {
  /** Folder names deleted whole, oldest first. */
  readonly folders: readonly string[]
  /** Folders that stay with some lanes' files deleted (by `laneMaxAgeMs`), oldest first. */
  readonly trims: readonly LaneTrim[]
  /** The bytes the folders hold once the plan is carried out. */
  readonly bytes: number
  /**
   * True when `bytes` still exceeds `maxTotalSize`: the folders retention may not delete (the interval of now,
   * the one before it, folders of future intervals) hold more than the budget alone.
   */
  readonly overBudget: boolean
}

/**
 * Decides everything retention deletes. First by age and count: the folders {@link foldersToDelete} rules out by
 * `keep` and `maxAge`, except the files of lanes whose own age (`laneMaxAgeMs`) is not over yet, which stay there
 * alone; and from the folders that stay, the files of lanes whose own age is over. Then, while the folders left hold
 * more than `maxTotalSize` bytes, the oldest of them whole: the budget is the hard limit and wins over every age and
 * `keep`. Nothing is ever deleted from a folder named in `kept` nor one after the `horizon`. Pure.
 *
 * @example
 * ```ts
 * const folders = ['2026-11-18', '2026-11-19', '2026-11-20'].map((name, i) => ({
 *   name,
 *   wallStart: Date.UTC(2026, 10, 18 + i),
 *   end: Date.UTC(2026, 10, 19 + i),
 *   bytes: 400,
 * }))
 * const kept = new Set(['2026-11-20', '2026-11-19'])
 * planRetention({ folders, keep: undefined, maxAgeMs: undefined, maxTotalSize: 1000, now: Date.UTC(2026, 10, 20, 12), kept })
 * // { folders: ['2026-11-18'], trims: [], bytes: 800, overBudget: false }
 * ```
 */
export function planRetention(request: RetentionPlanRequest): RetentionPlan {
  const { kept, horizon, maxTotalSize, now } = request
  const laneAges = request.laneMaxAgeMs ?? new Map<string, number>()
  const unique = new Map<string, RetentionFolder>()
  for (const folder of request.folders) unique.set(folder.name, folder)
  const byRules = new Set(foldersToDelete(request))
  const deleted = new Set<string>()
  const trims = new Map<string, LaneTrim>()
  /** The bytes each folder holds once the rules by age and count are carried out. */
  const left = new Map<string, number>()
  for (const folder of unique.values()) {
    const untouchable = kept.has(folder.name) || (horizon !== undefined && folder.wallStart > horizon)
    const lanes = untouchable ? new Map<string, number>() : (folder.lanes ?? new Map<string, number>())
    const ageOver = (lane: string) => now - folder.end > laneAges.get(lane)!
    const ownAge = [...lanes.keys()].filter((lane) => laneAges.has(lane))
    if (byRules.has(folder.name)) {
      const stay = ownAge.filter((lane) => !ageOver(lane))
      if (stay.length === 0) {
        deleted.add(folder.name)
        continue
      }
      trims.set(folder.name, { folder: folder.name, lanes: stay, only: true })
      left.set(folder.name, sum(stay.map((lane) => lanes.get(lane)!)))
      continue
    }
    const drop = ownAge.filter(ageOver)
    if (drop.length > 0) trims.set(folder.name, { folder: folder.name, lanes: drop, only: false })
    left.set(folder.name, (folder.bytes ?? 0) - sum(drop.map((lane) => lanes.get(lane)!)))
  }
  let bytes = sum(left.values())
  if (maxTotalSize !== undefined && bytes > maxTotalSize) {
    const deletable = [...left.keys()]
      .map((name) => unique.get(name)!)
      .filter((folder) => !kept.has(folder.name) && (horizon === undefined || folder.wallStart <= horizon))
      .sort((a, b) => a.wallStart - b.wallStart)
    for (const folder of deletable) {
      if (bytes <= maxTotalSize) break
      bytes -= left.get(folder.name)!
      deleted.add(folder.name)
      trims.delete(folder.name)
    }
  }
  const oldestFirst = [...unique.values()].sort((a, b) => a.wallStart - b.wallStart)
  return {
    folders: oldestFirst.filter((folder) => deleted.has(folder.name)).map((folder) => folder.name),
    trims: oldestFirst.flatMap((folder) => trims.get(folder.name) ?? []),
    bytes,
    overBudget: maxTotalSize !== undefined && bytes > maxTotalSize,
  }
}

function sum(values: Iterable<number>): number {
  let total = 0
  for (const value of values) total += value
  return total
}

/**
 * A lane file's name: the lane, a part (`maxFileSize`), `.log`, and when compressed `.gz`; loglanes' private copies
 * during compression (`.<lane>.log.<token>.pending`, ...) belong to their lane too.
 */
const LANE_FILE =
  /^\.?([A-Za-z][A-Za-z0-9_-]{0,63})(?:\.[1-9][0-9]{0,8})?\.log(?:\.gz)?(?:\.\d+-[0-9a-f]+\.(?:pending|committing|tmp))?$/

/**
 * The lane a file of an interval folder belongs to, or undefined for a name loglanes never gives a lane's file.
 *
 * @example
 * ```ts
 * laneOfFile('db.2.log.gz') // 'db'
 * laneOfFile('notes.txt') // undefined
 * ```
 */
export function laneOfFile(name: string): string | undefined {
  return LANE_FILE.exec(name)?.[1]
}
