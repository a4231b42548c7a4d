/** An interval folder as retention sees it. */
export interface RetentionFolder {
  readonly name: string
  /** Its interval's wall-clock start (as a UTC epoch): orders folders, larger is newer. */
  readonly wallStart: number
  /** When its interval ends (epoch ms); the latest end when a DST fall-back gives the name two runs. */
  readonly end: number
  /** Bytes of the regular files in it, archives included (for `maxTotalSize`); undefined: not measured, 0. */
  readonly bytes?: number
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

/** What {@link planRetention} decides on: {@link RetentionRequest} and the budget. */
export interface RetentionPlanRequest extends RetentionRequest {
  /** Bytes the folders may hold together (their `bytes`); undefined for no budget. */
  readonly maxTotalSize?: number | undefined
}

/** What retention deletes in one pass. */
export interface RetentionPlan {
  /** Folder names deleted whole, oldest first. */
  readonly folders: readonly string[]
  /** The bytes the folders hold once the plan is carried out. */
  readonly bytes: number
  /**
   * True when `bytes` still exceeds `maxTotalSize`: the folders retention may not delete (the interval of now,
   * the one before it, folders of future intervals) hold more than the budget alone.
   */
  readonly overBudget: boolean
}

/**
 * Decides everything retention deletes: the folders {@link foldersToDelete} rules out by `keep` and `maxAge`, then,
 * while the folders left hold more than `maxTotalSize` bytes, the oldest of the rest. The budget is the hard limit:
 * it wins over `keep` and `maxAge`, but never deletes a folder named in `kept` nor one after the `horizon`. Pure.
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
 * // { folders: ['2026-11-18'], bytes: 800, overBudget: false }
 * ```
 */
export function planRetention(request: RetentionPlanRequest): RetentionPlan {
  const { kept, horizon, maxTotalSize } = request
  const unique = new Map<string, RetentionFolder>()
  for (const folder of request.folders) unique.set(folder.name, folder)
  const deleted = new Set(foldersToDelete(request))
  const left = [...unique.values()].filter((folder) => !deleted.has(folder.name))
  let bytes = 0
  for (const folder of left) bytes += folder.bytes ?? 0
  if (maxTotalSize !== undefined && bytes > maxTotalSize) {
    const deletable = left
      .filter((folder) => !kept.has(folder.name) && (horizon === undefined || folder.wallStart <= horizon))
      .sort((a, b) => a.wallStart - b.wallStart)
    for (const folder of deletable) {
      if (bytes <= maxTotalSize) break
      bytes -= folder.bytes ?? 0
      deleted.add(folder.name)
    }
  }
  const folders = [...unique.values()]
    .filter((folder) => deleted.has(folder.name))
    .sort((a, b) => a.wallStart - b.wallStart)
    .map((folder) => folder.name)
  return { folders, bytes, overBudget: maxTotalSize !== undefined && bytes > maxTotalSize }
}
