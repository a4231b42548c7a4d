import { lstat, mkdir, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pointLink } from './currentLink.js'
import { parseFolderName } from './folderNames.js'
import { scanFolder } from './folderScan.js'
import { gzipFolder } from './gzipFolder.js'
import { createIntervalClock, type Interval, type IntervalClock, MAX_CLOCK_SKEW_MS } from './intervalClock.js'
import { acquireMaintenanceLock, DEFAULT_LOCK_STALE_MS, MAINTENANCE_LOCK_NAME } from './maintenanceLock.js'
import type { ResolvedLanesOptions } from './options.js'
import { entryOf, openFolder } from './ownFiles.js'
import { removeOwnEntry } from './removeOwnEntry.js'
import { type LaneTrim, laneOfFile, planRetention, type RetentionFolder } from './retention.js'
import { formatSize } from './sizes.js'
import { createZone } from './zone.js'

/** The part of maintenance that failed. */
export type MaintenanceStep = 'link' | 'lock' | 'retention' | 'compress'

/** A maintenance step that failed; the files involved are left as they were, for a later pass. */
export interface MaintenanceErrorEvent {
  readonly step: MaintenanceStep
  readonly path: string
  readonly error: NodeJS.ErrnoException
}

/** What one maintenance pass knows beyond the options (see {@link runMaintenance}). */
export interface MaintenancePass {
  /** The current time (epoch ms). Default `Date.now()`. */
  readonly now?: number
  /** The newest interval this process has routed records to, if any. */
  readonly newest?: Interval | undefined
  /**
   * How long after its interval ended, and after its files were last written, a folder is left alone before it is
   * compressed: writers close their files after a grace period, so this must exceed it. Default 60 s.
   */
  readonly quietMs?: number
  /** False skips compression in this pass (the link and retention still run). Default true. */
  readonly compress?: boolean
  /** The clock to name intervals with (one for the options' interval and zone is made otherwise). */
  readonly clock?: IntervalClock
  /** Take over a maintenance lock untouched for this long. Default 10 minutes. */
  readonly lockStaleMs?: number
  /** True when this process has the folder of that name open for writing: it is not compressed now. */
  isFolderOpen?(name: string): boolean
  /** Asked before each lane file is compressed: true ends the pass there (a lane begun is finished). */
  shouldStop?(): boolean
  /** Called for each failure; nothing is thrown. */
  onError?(event: MaintenanceErrorEvent): void
}

/** What one maintenance pass did. */
export interface MaintenanceResult {
  /** The folder the link points at, when `symlink` is on. */
  readonly linkTarget: string | undefined
  /** True when another process held the maintenance lock: retention and compression were left to it. */
  readonly lockBusy: boolean
  /** Folder names deleted by retention. */
  readonly deleted: readonly string[]
  /** `<folder>/<file>` paths (relative to `dir`) retention deleted from folders that stay (`retention.lanes`). */
  readonly deletedFiles: readonly string[]
  /** `<folder>/<lane>.log.gz` paths (relative to `dir`) that took new bytes. */
  readonly compressed: readonly string[]
  /** When a later pass can compress what this one had to leave (files still being written); undefined if none. */
  readonly retryAt: number | undefined
}

/** A temporary link or a lock moved aside, by a process that died before it could remove it. */
const STRAY_DOT_NAME =
  /^\.(?:[A-Za-z][A-Za-z0-9_-]{0,63}\.\d+-[0-9a-f]+\.link|loglanes\.lock\.\d+-[0-9a-f]+\.stale)$/

/**
 * How long retention goes on once a closing process asked the pass to stop: the due deletions of a short-lived
 * logger finish, a folder of a million planted files does not hold up its shutdown.
 */
const CLOSING_RETENTION_MS = 2_000

/** Folder names examined between two turns of the event loop. */
const YIELD_EVERY = 256

const NOTHING: MaintenanceResult = Object.freeze({
  linkTarget: undefined,
  lockBusy: false,
  deleted: [],
  deletedFiles: [],
  compressed: [],
  retryAt: undefined,
})

/**
 * Runs one maintenance pass over `options.dir`: points the `symlink` at the active interval folder, then, holding
 * the maintenance lock (a pass that cannot take it skips this part), deletes the interval folders `retention`
 * rules out and, with `compress: 'gzip'`, compresses the lane files of closed interval folders. The router runs
 * it at start and after each rollover; it is exported for one-off runs (a cron job, a CLI).
 *
 * Only directories whose names are interval folders of the configured interval (and zone) are ever touched;
 * dot-names are loglanes' own. The interval of now (by this clock) and the one before it are never deleted,
 * whatever record times said, nor are the active interval (the newest one routed when it starts within
 * {@link MAX_CLOCK_SKEW_MS} of the clock, else that of now; the link points at it), the newest routed one, and the
 * one before each. Folders of intervals further ahead (records timed in the future) do not count toward `keep`.
 * `retention.maxTotalSize` deletes the oldest other folders while the folders hold more bytes than it (reported, as
 * step 'retention' with code `EFBIG`, when the folders it may not delete alone do); `retention.lanes` deletes a
 * lane's files from folders that stay, or keeps only theirs in folders the other rules delete (see
 * {@link planRetention}).
 * Failures are reported to `onError` and never thrown.
 *
 * @example
 * ```ts
 * const options = resolveOptions({ dir: 'logs', interval: '1h', retention: { keep: 48 }, compress: 'gzip' })
 * const result = await runMaintenance(options)
 * result.deleted // ['2026-11-18__13-00', ...]
 * ```
 */
export async function runMaintenance(
  options: ResolvedLanesOptions,
  pass: MaintenancePass = {},
): Promise<MaintenanceResult> {
  if (options.intervalMinutes === null) return NOTHING
  const run = new Pass(options, pass)
  try {
    return await run.run()
  } catch (error) {
    // Every step reports its own failures; this is a last resort, so that nothing reaches the host.
    run.report(run.step, options.dir, error)
    return NOTHING
  }
}

class Pass {
  /** The step in progress. */
  step: MaintenanceStep = 'link'
  private readonly clock: IntervalClock
  private readonly now: number
  private readonly quietMs: number
  private readonly active: Interval
  /** Never deleted: the interval of now, the active one, the newest routed one, and the interval before each. */
  private readonly kept = new Set<string>()
  /** The wall-clock start of the newest interval records may be in by this clock (see `RetentionRequest`). */
  private readonly horizon: number | undefined
  private readonly deleted: string[] = []
  private readonly deletedFiles: string[] = []
  private readonly compressed: string[] = []
  private retryAt: number | undefined
  /** When retention stops for a close (see {@link outOfTime}). */
  private stopAt: number | undefined

  constructor(
    private readonly options: ResolvedLanesOptions,
    private readonly pass: MaintenancePass,
  ) {
    this.clock = pass.clock ?? createIntervalClock(options.intervalMinutes, createZone(options.timezone))
    this.now = pass.now ?? Date.now()
    this.quietMs = pass.quietMs ?? 60_000
    const ofNow = this.clock.intervalAt(this.now)
    const newest = pass.newest
    // Records a little ahead of this clock (another host's clock) make their interval the active one, but not
    // from further than the skew: such a record time is wrong, bad or hostile, and must take neither the link nor
    // the place of the interval of now in retention.
    const ahead =
      newest !== undefined && newest.start > ofNow.start && newest.start - this.now <= MAX_CLOCK_SKEW_MS
    this.active = ahead ? newest : ofNow
    // The interval of now is kept by the clock alone, whatever was routed (or passed in by a caller).
    for (const interval of newest === undefined ? [ofNow, this.active] : [ofNow, this.active, newest]) {
      this.kept.add(interval.name)
      this.kept.add(this.clock.intervalAt(interval.start - 1).name)
    }
    const minutes = options.intervalMinutes
    this.horizon =
      minutes === null
        ? undefined
        : parseFolderName(this.clock.intervalAt(this.now + MAX_CLOCK_SKEW_MS).name, minutes)
  }

  async run(): Promise<MaintenanceResult> {
    const { options } = this
    const linkTarget = options.symlink === false ? undefined : await this.link(options.symlink)
    const compress = options.compress === 'gzip' && this.pass.compress !== false
    if (options.retention === undefined && !compress) return { ...NOTHING, linkTarget }
    this.step = 'lock'
    let lock: Awaited<ReturnType<typeof acquireMaintenanceLock>>
    try {
      lock = await acquireMaintenanceLock(options.dir, { staleMs: this.pass.lockStaleMs })
    } catch (error) {
      // No dir yet: nothing to maintain.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.report('lock', join(options.dir, MAINTENANCE_LOCK_NAME), error)
      }
      return { ...NOTHING, linkTarget }
    }
    if (lock === undefined)
      return { ...NOTHING, linkTarget, lockBusy: true, retryAt: this.now + this.quietMs }
    try {
      this.step = 'retention'
      let folders = await this.listFolders()
      if (options.retention !== undefined) folders = await this.applyRetention(folders, () => lock.holds())
      this.step = 'compress'
      if (compress) await this.compressClosed(folders, () => lock.holds())
    } finally {
      await lock.release()
    }
    return {
      linkTarget,
      lockBusy: false,
      deleted: this.deleted,
      deletedFiles: this.deletedFiles,
      compressed: this.compressed,
      retryAt: this.retryAt,
    }
  }

  report(step: MaintenanceStep, path: string, error: unknown): void {
    this.pass.onError?.({ step, path, error: error as NodeJS.ErrnoException })
  }

  private async link(name: string): Promise<string | undefined> {
    const { dir, dirMode } = this.options
    try {
      await mkdir(dir, { recursive: true, mode: dirMode })
      await pointLink(dir, name, this.active.name)
      return this.active.name
    } catch (error) {
      this.report('link', join(dir, name), error)
      return undefined
    }
  }

  /**
   * The interval folders in `dir`, oldest first: directories named as this clock names intervals. Removes on the
   * way the temporary links and set-aside locks that processes which died mid-step left behind.
   */
  private async listFolders(): Promise<RetentionFolder[]> {
    const minutes = this.options.intervalMinutes!
    const entries = await readdir(this.options.dir, { withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') this.report('retention', this.options.dir, error)
        return []
      },
    )
    const folders: RetentionFolder[] = []
    for (const [index, entry] of entries.entries()) {
      // Naming thousands of folders takes a while: let records be routed in between.
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve))
      if (STRAY_DOT_NAME.test(entry.name)) await this.removeIfOld(join(this.options.dir, entry.name))
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue
      const interval = this.clock.intervalNamed(entry.name)
      const wallStart = parseFolderName(entry.name, minutes)
      if (interval !== undefined && wallStart !== undefined) {
        folders.push({ name: entry.name, wallStart, end: interval.end })
      }
    }
    return folders.sort((a, b) => a.wallStart - b.wallStart)
  }

  /** Removes a leftover of a dead process; one in use lives for milliseconds, far less than the lock's stale time. */
  private async removeIfOld(path: string): Promise<void> {
    try {
      const { mtimeMs } = await lstat(path)
      if (this.now - mtimeMs > DEFAULT_LOCK_STALE_MS) await unlink(path)
    } catch {
      // Removed by another process meanwhile, or not ours to remove: either way, nothing to do.
    }
  }

  /** Deletes what retention rules out; returns the folders that remain. */
  /**
   * Deletes what retention plans, checking before each folder that this process still holds the lock (see
   * compressClosed): after a lock's owner died, two processes taking it over at the same moment can both believe
   * they hold it for a moment, and the one that lost it stops.
   */
  private async applyRetention(
    listed: RetentionFolder[],
    stillOwner: () => Promise<boolean>,
  ): Promise<RetentionFolder[]> {
    const { keep, maxAgeMs, maxTotalSize, laneMaxAgeMs } = this.options.retention!
    // Only a budget and lanes' own ages need to know what the folders hold: keep and maxAge alone read no folder.
    const measure = maxTotalSize !== undefined || laneMaxAgeMs.size > 0
    const folders = measure ? await this.measure(listed) : listed
    const newest = this.pass.newest
    const upcoming: RetentionFolder[] = []
    // The folder being written counts toward `keep` even before its first batch reaches the disk.
    if (newest !== undefined && !folders.some((folder) => folder.name === newest.name)) {
      const wallStart = parseFolderName(newest.name, this.options.intervalMinutes!)
      if (wallStart !== undefined) upcoming.push({ name: newest.name, wallStart, end: newest.end })
    }
    const plan = planRetention({
      folders: [...folders, ...upcoming],
      keep,
      maxAgeMs,
      maxTotalSize,
      laneMaxAgeMs,
      now: this.now,
      kept: this.kept,
      horizon: this.horizon,
    })
    const doomed = new Set(plan.folders)
    for (const name of doomed) {
      const path = join(this.options.dir, name)
      if (!(await stillOwner())) break
      try {
        // Never through a link: a link planted in the folder is removed, its target left alone.
        if (!(await removeOwnEntry(this.options.dir, name, () => this.outOfTime()))) break
        this.deleted.push(name)
      } catch (error) {
        this.report('retention', path, error)
      }
    }
    for (const trim of plan.trims) {
      if (this.outOfTime()) break
      try {
        await this.trim(trim)
      } catch (error) {
        this.report('retention', join(this.options.dir, trim.folder), error)
      }
    }
    if (plan.overBudget) this.report('retention', this.options.dir, overBudget(plan.bytes, maxTotalSize!))
    return folders.filter((folder) => !doomed.has(folder.name))
  }

  /** The folders with what they hold (see {@link measureFolder}); one that cannot be read holds nothing. */
  private async measure(folders: RetentionFolder[]): Promise<RetentionFolder[]> {
    const measured: RetentionFolder[] = []
    for (const folder of folders) {
      const path = join(this.options.dir, folder.name)
      try {
        measured.push({ ...folder, ...(await measureFolder(path)) })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.report('retention', path, error)
        measured.push({ ...folder, bytes: 0, lanes: new Map() })
      }
    }
    return measured
  }

  /**
   * Deletes some lanes' files from a folder that stays: those of `trim.lanes`, or with `only` every entry but
   * theirs. The folder is entered by descriptor (never through a link), and each entry removed without following
   * one (see {@link removeOwnEntry}).
   */
  private async trim(trim: LaneTrim): Promise<void> {
    const path = join(this.options.dir, trim.folder)
    const folder = await openFolder(path)
    try {
      const inside = entryOf(folder.fd, path, '')
      for (const name of await readdir(inside)) {
        const lane = laneOfFile(name)
        const listed = lane !== undefined && trim.lanes.includes(lane)
        if (listed === trim.only) continue
        if (!(await removeOwnEntry(inside, name, () => this.outOfTime()))) return
        this.deletedFiles.push(`${trim.folder}/${name}`)
      }
    } finally {
      await folder.close()
    }
  }

  /**
   * True once a close asked the pass to stop and retention has had {@link CLOSING_RETENTION_MS} more: a folder
   * filled with many files (by someone who can write to `dir`) must not hold up the shutdown. A later pass goes on.
   */
  private outOfTime(): boolean {
    if (this.pass.shouldStop?.() !== true) return false
    if (this.stopAt === undefined) this.stopAt = Date.now() + CLOSING_RETENTION_MS
    return Date.now() >= this.stopAt
  }

  /** Compresses the folders whose interval is over, whose files are quiet and that this process is not writing. */
  private async compressClosed(
    folders: RetentionFolder[],
    stillOwner: () => Promise<boolean>,
  ): Promise<void> {
    const { pass } = this
    for (const folder of folders) {
      if (pass.shouldStop?.() === true) return
      if (folder.name === this.active.name || folder.name === pass.newest?.name) continue
      if (folder.end + this.quietMs > this.now) {
        this.retryAt = Math.min(this.retryAt ?? Infinity, folder.end + this.quietMs)
        continue
      }
      if (pass.isFolderOpen?.(folder.name) === true) {
        this.retryAt = Math.min(this.retryAt ?? Infinity, this.now + this.quietMs)
        continue
      }
      const path = join(this.options.dir, folder.name)
      try {
        const scan = await scanFolder(path)
        if (scan.lanes.size === 0) continue
        const result = await gzipFolder(scan, {
          fileMode: this.options.fileMode,
          now: this.now,
          quietMs: this.quietMs,
          isOpen: () => pass.isFolderOpen?.(folder.name) === true,
          shouldStop: () => pass.shouldStop?.() === true,
          stillOwner,
          onError: (file, error) => this.report('compress', file, error),
        })
        for (const lane of result.archived) this.compressed.push(`${folder.name}/${lane}.log.gz`)
        if (result.retryAt !== undefined) this.retryAt = Math.min(this.retryAt ?? Infinity, result.retryAt)
      } catch (error) {
        this.report('compress', path, error)
      }
    }
  }
}

/**
 * Bytes of the regular files in an interval folder (lane files, their parts and archives, private copies), and of
 * each lane's (see {@link laneOfFile}): the folder is entered by descriptor, never through a link, and every entry
 * is measured with `lstat`, so a link counts as nothing and its target is never looked at. Nothing below the
 * folder is counted: loglanes makes no folders there.
 */
async function measureFolder(path: string): Promise<{ bytes: number; lanes: Map<string, number> }> {
  const folder = await openFolder(path)
  try {
    let bytes = 0
    const lanes = new Map<string, number>()
    for (const [index, name] of (await readdir(entryOf(folder.fd, path, ''))).entries()) {
      // Measuring a folder of many files takes a while: let records be routed in between.
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve))
      const stats = await lstat(entryOf(folder.fd, path, name)).catch((error: NodeJS.ErrnoException) => {
        // Removed meanwhile (compressed, or deleted by another pass): nothing to count.
        if (error.code === 'ENOENT') return undefined
        throw error
      })
      if (stats?.isFile() !== true) continue
      bytes += stats.size
      const lane = laneOfFile(name)
      if (lane !== undefined) lanes.set(lane, (lanes.get(lane) ?? 0) + stats.size)
    }
    return { bytes, lanes }
  } finally {
    await folder.close()
  }
}

/** The report of a budget the folders retention never deletes exceed by themselves: retried on later passes. */
function overBudget(bytes: number, maxTotalSize: number): NodeJS.ErrnoException {
  return Object.assign(
    new Error(
      `the interval folders hold ${bytes} bytes, over retention.maxTotalSize (${formatSize(maxTotalSize)}), in ` +
        'the folders it never deletes (the interval of now, the one before it, future intervals)',
    ),
    { code: 'EFBIG' },
  )
}
