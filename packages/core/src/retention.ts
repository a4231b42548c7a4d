/** An interval folder as retention sees it. */
export interface RetentionFolder {
  readonly name: string
  /** Its interval's wall-clock start (as a UTC epoch): orders folders, larger is newer. */
  readonly wallStart: number
  /** When its interval ends (epoch ms); the latest end when a DST fall-back gives the name two runs. */
  readonly end: number
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
