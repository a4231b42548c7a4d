import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { BatchPool } from './batchPool.js'
import { FolderDescriptors } from './folderDescriptors.js'
import { writeOrHold } from './heldLanes.js'
import { createIntervalClock, type Interval, type IntervalClock, MAX_CLOCK_SKEW_MS } from './intervalClock.js'
import { LaneFile, type LaneFileHost } from './laneFile.js'
import { type LaneSet, LaneSets } from './laneSet.js'
import { prepareLanesDir } from './lanesDir.js'
import type { MaintenanceErrorEvent } from './maintenance.js'
import { type MaintenanceHost, MaintenanceScheduler } from './maintenanceScheduler.js'
import type { ResolvedLanesOptions } from './options.js'
import { formatSize } from './sizes.js'
import { compileStrftime } from './strftime.js'
import { renderTextRecord } from './textFormat.js'
import { TextLineRenderer } from './textLineRenderer.js'
import { createZone } from './zone.js'

/** A lane file that failed: reported once until it recovers. */
export interface LaneErrorEvent {
  readonly lane: string
  readonly path: string
  readonly error: NodeJS.ErrnoException
}

/** Records that could not be kept (a failing lane's buffer was full, or a write after close). */
export interface RecordsDroppedEvent {
  readonly lane: string | undefined
  readonly path: string | undefined
  readonly records: number
  readonly reason: string
}

/**
 * A router's events. The lane events reach listeners a microtask after the write that raised them, so a listener
 * may log, to the failing lane too; the matching stderr line is written at once.
 */
export interface LaneRouterEvents {
  laneError: [LaneErrorEvent]
  laneRecovered: [{ readonly lane: string; readonly path: string }]
  recordsDropped: [RecordsDroppedEvent]
  /** A maintenance step (link, lock, retention, compression) failed; reported once per step and error code. */
  maintenanceError: [MaintenanceErrorEvent]
}

/** Tuning of a router; the defaults suit every entry point. */
export interface LaneRouterSettings {
  /**
   * How long after its interval ended a folder's files stay open for late records. Default 30 s. Compression
   * waits until a folder's interval ended, and its files were last written, `graceMs` plus two sweeps (of
   * `max(1 s, graceMs / 2)`) ago: 60 s by default. Processes sharing a `dir` should use the same value.
   */
  readonly graceMs?: number
  /** Write each diagnostic as one line on stderr. Default true. */
  readonly stderr?: boolean
}

interface FolderState {
  readonly name: string
  readonly path: string
  /** Latest end of an interval seen with this name (a DST fall-back can give a name two runs). */
  end: number
  /** Lane files by lane index, opened on the lane's first record. */
  readonly files: (LaneFile | undefined)[]
  /** The files of each lane set used in this folder, so a record finds its files with one lookup. */
  readonly filesOf: Map<LaneSet, readonly LaneFile[]>
  /** Sweep generation in which the folder was last left or written; folders idle for a whole sweep get closed. */
  used: number
}

const MAX_DATE_MS = 8.64e15
const MIN_SWEEP_MS = 1_000

/** Records up to this many UTF-16 units are encoded once for all their lanes; longer ones once per lane. */
const MAX_SCRATCH_CHARS = 16 * 1024

/**
 * The loglanes routing engine: takes records (time, level label, domain, the exact text of the line) and appends
 * each to every lane of its lane set, inside the folder of the record's own time.
 *
 * Writes are batched: everything routed before the event loop turns is written with one write per lane file.
 * Failures are emitted as `laneError` events (and one stderr line), never thrown. The one exception is at
 * construction: a `dir` that is a file or cannot be written throws `LanesConfigError` naming it.
 *
 * With `retention`, `compress` or `symlink` set, the router also maintains `dir` (see {@link runMaintenance}):
 * once at start and after each rollover (a record opening an interval newer than any routed), asynchronously,
 * never in the way of routing. {@link close} waits for a pass in progress; {@link whenMaintained} waits for all.
 *
 * @example
 * ```ts
 * const router = new LaneRouter(resolveOptions({ domains: ['app', 'db'] }, { levels: { info: 30, error: 50 } }))
 * router.route(Date.now(), 'error', 'db', '{"level":50,"msg":"connection lost"}\n')
 * await router.close() // every line is in its file
 * ```
 */
export class LaneRouter extends EventEmitter<LaneRouterEvents> implements LaneFileHost, MaintenanceHost {
  readonly options: ResolvedLanesOptions
  readonly fileMode: number
  readonly dirMode: number
  private readonly laneSets: LaneSets
  private readonly clock: IntervalClock
  private readonly timestamp: (t: number) => string
  private readonly textLines: TextLineRenderer
  /** Where a record for several lanes is encoded once (see route). */
  private readonly scratch = Buffer.allocUnsafe(MAX_SCRATCH_CHARS * 3)
  private readonly folders = new Map<string, FolderState>()
  private readonly failingLanes = new Map<string, number>()
  private readonly graceMs: number
  private readonly stderr: boolean
  private current: FolderState | undefined
  private start = 0
  private end = 0
  /**
   * The newest interval routed that starts no later than {@link MAX_CLOCK_SKEW_MS} after the clock did when it
   * was routed: a record opening a newer one (within the skew too) is a rollover.
   */
  private newest: Interval | undefined
  private newestStart = -Infinity
  private readonly maintenance: MaintenanceScheduler | undefined
  private readonly reportedMaintenance = new Set<string>()
  private generation = 0
  private scheduled = false
  private closed = false
  private droppedAfterClose = 0
  private readonly sweeper: NodeJS.Timeout
  /** Bytes its failing lanes hold, as they last told (see {@link LaneFileHost.holding}). */
  private heldBytes = 0
  private readonly maxHeldBytes: number
  readonly heldLimit: string
  /**
   * The lane files with an open descriptor, least recently written first: a file moves to the end once per batch
   * it writes, and the first is closed when one more must open beyond `maxOpenFiles`.
   */
  private readonly openFiles = new Set<LaneFile>()
  private readonly maxOpenFiles: number
  private readonly folderFds: FolderDescriptors
  /** Writes the lanes held back by {@link writeDue} once their time is up. */
  private holdTimer: NodeJS.Timeout | undefined
  readonly maxFileSize: number
  /** Batch buffers lanes give back and take again (see BatchPool). */
  readonly batches = new BatchPool()

  constructor(options: ResolvedLanesOptions, settings: LaneRouterSettings = {}) {
    super()
    prepareLanesDir(options.dir, options.dirMode)
    this.options = options
    this.fileMode = options.fileMode
    this.dirMode = options.dirMode
    this.laneSets = new LaneSets(options)
    const zone = createZone(options.timezone)
    this.clock = createIntervalClock(options.intervalMinutes, zone)
    this.timestamp = compileStrftime(options.timestampFormat, zone)
    this.textLines = new TextLineRenderer(this.timestamp)
    this.folderFds = new FolderDescriptors(options.dir, options.dirMode)
    this.graceMs = settings.graceMs ?? 30_000
    this.maxHeldBytes = options.maxHeldSize
    this.maxOpenFiles = options.maxOpenFiles
    this.maxFileSize = options.maxFileSize ?? 0
    this.heldLimit = `the bytes held for every lane that cannot write reached maxHeldSize (${formatSize(this.maxHeldBytes)})`
    this.stderr = settings.stderr ?? true
    const sweepMs = Math.max(MIN_SWEEP_MS, this.graceMs / 2)
    this.sweeper = setInterval(() => this.sweep(), sweepMs)
    this.sweeper.unref()
    if (options.retention !== undefined || options.compress !== false || options.symlink !== false) {
      // A folder's files are closed at most two sweeps after its grace period: only then may it be compressed.
      this.maintenance = new MaintenanceScheduler(this, this.graceMs + 2 * sweepMs)
      this.maintenance.request()
    }
  }

  /**
   * Routes one record whose text is final (a JSON line, or an already rendered text record), ending in `\n`.
   * `domain` is the record's domain value as found (undeclared or missing goes to `defaultDomain`).
   */
  route(time: number, level: string, domain: unknown, text: string): void {
    const files = this.filesFor(time, this.laneSets.lanesOf(domain, level))
    if (files === undefined) return
    if (files.length === 1 || text.length > MAX_SCRATCH_CHARS) {
      for (let i = 0; i < files.length; i++) files[i]!.append(text)
      return
    }
    // Several lanes (a domain and a level file): encoded once, then copied to each.
    const bytes = new Uint8Array(this.scratch.buffer, this.scratch.byteOffset, this.scratch.write(text, 0))
    for (let i = 0; i < files.length; i++) files[i]!.appendBytes(bytes)
  }

  /**
   * Routes one record given as bytes: `line` is the whole UTF-8 line with its `\n`. Saves the transports an
   * encode per lane: the bytes are copied into each lane's batch as they are.
   */
  routeBytes(time: number, level: string, domain: unknown, line: Uint8Array): void {
    this.routeBytesTo(time, this.laneSets.lanesOf(domain, level), line)
  }

  /**
   * The lane set of records with this domain value and level, for {@link routeBytesTo}: a transport that sees
   * the same few kinds of record over and over keeps it, and skips the lookups per record. It stays valid until
   * {@link addLevels} is called.
   *
   * @example
   * ```ts
   * const dbErrors = router.laneSetOf('db', 'error')
   * router.routeBytesTo(Date.now(), dbErrors, Buffer.from('{"level":50,"domain":"db"}\n'))
   * ```
   */
  laneSetOf(domain: unknown, level: string): LaneSet {
    return this.laneSets.lanesOf(domain, level)
  }

  /** {@link routeBytes} for a lane set from {@link laneSetOf}. */
  routeBytesTo(time: number, lanes: LaneSet, line: Uint8Array): void {
    const files = this.filesFor(time, lanes)
    if (files === undefined) return
    for (let i = 0; i < files.length; i++) files[i]!.appendBytes(line)
  }

  /** Renders a record in the `text` format (`<timestamp> <LEVEL> [<domain>] <message> <fields>`) and routes it. */
  routeText(
    time: number,
    level: string,
    domain: unknown,
    message: string,
    fields?: Record<string, unknown>,
    stack?: string,
  ): void {
    const shown = typeof domain === 'string' && domain.length > 0 ? domain : this.options.defaultDomain
    const text = renderTextRecord(
      { time: validTime(time), level, domain: shown, message, fields, stack },
      this.timestamp,
    )
    this.route(time, level, domain, text)
  }

  /**
   * {@link routeText} for a record read straight from the bytes of a JSON line, without parsing it: see
   * {@link TextLineRenderer.renderBytes} for what `source`, the message range and the field runs are. Nothing in
   * them needs escaping (the caller checked).
   */
  routeTextBytes(
    time: number,
    level: string,
    domain: string | undefined,
    source: Uint8Array,
    messageStart: number,
    messageEnd: number,
    runs: Int32Array,
    runCount: number,
  ): void {
    const shown = domain !== undefined && domain.length > 0 ? domain : this.options.defaultDomain
    const line = this.textLines.renderBytes(
      validTime(time),
      level,
      shown,
      source,
      messageStart,
      messageEnd,
      runs,
      runCount,
    )
    this.routeBytesTo(time, this.laneSets.lanesOf(domain, level), line)
  }

  /** Adds level labels `{ label: severity }` learned after start; see {@link LaneSets.addLevels}. */
  addLevels(levels: Readonly<Record<string, number>>): void {
    this.laneSets.addLevels(levels)
  }

  /** The lane names (file stems) a record of this domain value and level is written to. */
  lanesOf(domain: unknown, level: string): string[] {
    return this.laneSets.lanesOf(domain, level).map((index) => this.laneSets.names[index]!)
  }

  /** The folder (absolute path) a record of this time is written to. */
  folderOf(time: number): string {
    return join(this.options.dir, this.clock.folderAt(validTime(time)))
  }

  /**
   * Schedules the writes of this turn, as the first record routed in a turn does. A transport that routes a batch
   * of records calls it first: the step then stays out of the per-record path, where optimized code would meet
   * it once per batch, not having seen it before.
   */
  flushSoon(): void {
    if (!this.scheduled && !this.closed) this.schedule()
  }

  /** Writes every accepted line to its file descriptor now (lanes that are failing keep theirs for the retry). */
  flushSync(): void {
    this.scheduled = false
    for (const folder of this.folders.values()) {
      let written = false
      for (const file of folder.files) {
        if (file?.pending) {
          file.write()
          written = true
        }
      }
      if (written) folder.used = this.generation
    }
  }

  /** Resolves once every accepted line has been written to its file descriptor. */
  async flush(): Promise<void> {
    this.flushSync()
  }

  /**
   * Flushes, closes every descriptor and stops the timers. Idempotent; later records are dropped and counted.
   * A maintenance pass in progress is not waited for: it finishes the file it is compressing, starts no other
   * and ends on its own.
   */
  closeSync(): void {
    this.shutDown()
    this.maintenance?.abandon()
  }

  /**
   * Resolves after every line is written and every descriptor closed, and once a maintenance pass in progress
   * has ended: it finishes the file it is compressing and starts no other; a pass due after a last rollover
   * updates the link and applies retention, without compressing. Idempotent.
   */
  async close(): Promise<void> {
    this.shutDown()
    await this.maintenance?.finish()
  }

  /**
   * Resolves once no maintenance pass runs or is due (compression retried later on a timer does not count).
   * For tests and tools that want to look at `dir` after a rollover.
   *
   * @example
   * ```ts
   * router.route(Date.now(), 'info', 'app', line)
   * await router.flush()
   * await router.whenMaintained() // the link points at the new folder; retention has run
   * ```
   */
  async whenMaintained(): Promise<void> {
    await this.maintenance?.whenIdle()
  }

  /** True once `close()` has run. */
  get isClosed(): boolean {
    return this.closed
  }

  // LaneFileHost: diagnostics are reported once per lane until it recovers.
  laneFailed(file: LaneFile, error: NodeJS.ErrnoException): void {
    const count = this.failingLanes.get(file.lane) ?? 0
    this.failingLanes.set(file.lane, count + 1)
    if (count > 0) return
    this.diagnose(
      `lane "${file.lane}" cannot write ${file.path}: ${error.message}; its records are kept and retried`,
    )
    this.emitAfterWrite('laneError', { lane: file.lane, path: file.path, error })
  }

  laneRecovered(file: LaneFile): void {
    const count = (this.failingLanes.get(file.lane) ?? 1) - 1
    if (count > 0) {
      this.failingLanes.set(file.lane, count)
      return
    }
    this.failingLanes.delete(file.lane)
    this.diagnose(`lane "${file.lane}" recovered: writing ${file.path} again`)
    this.emitAfterWrite('laneRecovered', { lane: file.lane, path: file.path })
  }

  recordsDropped(file: LaneFile, records: number, reason: string): void {
    this.diagnose(`lane "${file.lane}" lost ${records} record(s) (${reason}): ${file.path}`)
    this.emitAfterWrite('recordsDropped', { lane: file.lane, path: file.path, records, reason })
  }

  /**
   * Emits a lane's event once the write that raised it is over (a microtask later): a listener that logs, often to
   * the very lane that failed, would otherwise append to it in the middle of its write, when part of its batch is
   * already in the file (records written twice, lost, or torn). The stderr line is written at once.
   */
  private emitAfterWrite(event: 'laneError' | 'laneRecovered' | 'recordsDropped', payload: object): void {
    queueMicrotask(() => (this.emit as (name: string, value: object) => boolean)(event, payload))
  }

  mayHold(bytes: number): boolean {
    return this.heldBytes + bytes <= this.maxHeldBytes
  }

  holding(change: number): void {
    this.heldBytes += change
  }

  fileOpening(file: LaneFile): void {
    // Close the least recently written files until there is room for this one.
    for (const oldest of this.openFiles) {
      if (this.openFiles.size < this.maxOpenFiles) return
      if (oldest !== file) oldest.closeDescriptor()
    }
  }

  fileOpened(file: LaneFile): void {
    this.openFiles.add(file)
  }

  fileWritten(file: LaneFile): void {
    // Once per batch: a Set keeps insertion order, so re-adding makes this file the most recently written.
    this.openFiles.delete(file)
    this.openFiles.add(file)
  }

  fileClosed(file: LaneFile): void {
    this.openFiles.delete(file)
  }

  folderDescriptor(name: string): number {
    return this.folderFds.get(name)
  }

  forgetFolder(name: string): void {
    this.folderFds.forget(name)
  }

  /** Lane files open now: never more than `maxOpenFiles`. */
  get openFileCount(): number {
    return this.openFiles.size
  }

  /** Bytes held now for lanes that cannot write: never more than `maxHeldSize`. */
  get heldSize(): number {
    return this.heldBytes
  }

  // MaintenanceHost
  /** The newest interval a record was routed to, if any. */
  newestInterval(): Interval | undefined {
    return this.newest
  }

  /** True while the folder of that name has files this router may write (it is not compressed then). */
  isFolderOpen(name: string): boolean {
    return this.folders.has(name)
  }

  /** Reports a failed maintenance step once per step and cause: an event and one stderr line. */
  maintenanceFailed(event: MaintenanceErrorEvent): void {
    const cause = `${event.step}:${event.error.code ?? event.error.message}`
    if (this.reportedMaintenance.has(cause)) return
    this.reportedMaintenance.add(cause)
    this.diagnose(
      `${MAINTENANCE_FAILURES[event.step]} ${event.path}: ${event.error.message}; retried on a later pass`,
    )
    this.emit('maintenanceError', event)
  }

  /** The lane files of a record, in the folder of its time; undefined (and counted) after close. The hot path. */
  private filesFor(time: number, lanes: LaneSet): readonly LaneFile[] | undefined {
    if (this.closed) {
      this.dropAfterClose()
      return undefined
    }
    let folder = this.current
    if (!(time >= this.start && time < this.end) || folder === undefined) folder = this.enter(time)
    if (!this.scheduled) this.schedule()
    return folder.filesOf.get(lanes) ?? this.openLanes(folder, lanes)
  }

  private enter(time: number): FolderState {
    const interval = this.clock.intervalAt(validTime(time))
    let folder = this.folders.get(interval.name)
    if (folder === undefined) {
      folder = {
        name: interval.name,
        path: join(this.options.dir, interval.name),
        end: interval.end,
        files: [],
        filesOf: new Map(),
        used: this.generation,
      }
      this.folders.set(interval.name, folder)
    } else if (interval.end > folder.end) {
      folder.end = interval.end
    }
    if (this.current !== undefined) this.current.used = this.generation
    this.current = folder
    // A record timed further ahead of the clock than MAX_CLOCK_SKEW_MS (a wrong clock, a bad or hostile time) is
    // written, but is no rollover: counting it would point the link at its folder, let retention take it for the
    // present, and make every later real rollover look old, stopping maintenance until that time.
    if (interval.start > this.newestStart && interval.start - Date.now() <= MAX_CLOCK_SKEW_MS) {
      this.newestStart = interval.start
      this.newest = interval
      this.maintenance?.request()
    }
    // An invalid time is routed by now but must not widen the cache: keep checking it.
    const valid = time === validTime(time)
    this.start = valid ? interval.start : 0
    this.end = valid ? interval.end : 0
    return folder
  }

  private openLanes(folder: FolderState, lanes: LaneSet): readonly LaneFile[] {
    const files = lanes.map((index) => {
      let file = folder.files[index]
      if (file === undefined) {
        const lane = this.laneSets.names[index]!
        file = new LaneFile(lane, this.options.dir, folder.name, this)
        folder.files[index] = file
      }
      return file
    })
    folder.filesOf.set(lanes, files)
    return files
  }

  private schedule(): void {
    this.scheduled = true
    setImmediate(() => {
      if (this.scheduled && !this.closed) this.writeDue()
    })
  }

  /** The writes of a turn: everything, unless every descriptor is taken (see {@link writeOrHold}). */
  private writeDue(): void {
    if (this.openFiles.size < this.maxOpenFiles) {
      this.flushSync()
      return
    }
    this.scheduled = false
    const now = Date.now()
    let nextDue = Number.POSITIVE_INFINITY
    for (const folder of this.folders.values()) {
      const turn = writeOrHold(folder.files, now)
      if (turn.written) folder.used = this.generation
      nextDue = Math.min(nextDue, turn.nextDue)
    }
    if (nextDue !== Number.POSITIVE_INFINITY && this.holdTimer === undefined) {
      this.holdTimer = setTimeout(() => {
        this.holdTimer = undefined
        if (!this.closed) this.writeDue()
      }, nextDue - now)
      this.holdTimer.unref()
    }
  }

  /**
   * Closes the files of folders whose interval ended more than a grace period ago and that sat idle for a whole
   * sweep, the current one included: no descriptor outlives its folder's grace period by more than two sweeps,
   * so another process may compress the folder after that. A folder still holding records (a failing lane
   * retrying) stays open: closing would lose them.
   */
  private sweep(): void {
    this.generation++
    this.batches.trim()
    const now = Date.now()
    for (const folder of this.folders.values()) {
      if (folder.end + this.graceMs > now || folder.used >= this.generation - 1) continue
      if (folder.files.some((file) => file?.pending)) continue
      if (folder === this.current) {
        this.current = undefined
        this.start = 0
        this.end = 0
      }
      this.closeFolder(folder)
      this.folders.delete(folder.name)
    }
  }

  private shutDown(): void {
    if (this.closed) return
    this.flushSync()
    this.closed = true
    clearInterval(this.sweeper)
    clearTimeout(this.holdTimer)
    for (const folder of this.folders.values()) this.closeFolder(folder)
    this.folders.clear()
    this.current = undefined
    // The lanes just gave their buffers back: a closed router keeps none.
    this.batches.clear()
  }

  private closeFolder(folder: FolderState): void {
    for (const file of folder.files) file?.close()
    this.forgetFolder(folder.name)
  }

  private dropAfterClose(): void {
    if (this.droppedAfterClose++ === 0) {
      this.diagnose('a record arrived after close and was dropped; later ones are counted silently')
    }
  }

  private diagnose(message: string): void {
    if (this.stderr) process.stderr.write(`loglanes: ${message}\n`)
  }
}

const MAINTENANCE_FAILURES: Record<MaintenanceErrorEvent['step'], string> = {
  link: 'cannot point the link',
  lock: 'cannot take the maintenance lock',
  retention: 'retention cannot delete',
  compress: 'cannot compress',
}

/** A record time usable for a folder: the record's own, or now when it is missing or beyond what a Date holds. */
function validTime(time: number): number {
  return Number.isFinite(time) && Math.abs(time) <= MAX_DATE_MS ? time : Date.now()
}
