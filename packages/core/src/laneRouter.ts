import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { createIntervalClock, type IntervalClock } from './intervalClock.js'
import { LaneFile, type LaneFileHost } from './laneFile.js'
import { type LaneSet, LaneSets } from './laneSet.js'
import type { ResolvedLanesOptions } from './options.js'
import { compileStrftime } from './strftime.js'
import { renderTextRecord } from './textFormat.js'
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

export interface LaneRouterEvents {
  laneError: [LaneErrorEvent]
  laneRecovered: [{ readonly lane: string; readonly path: string }]
  recordsDropped: [RecordsDroppedEvent]
}

/** Tuning of a router; the defaults suit every entry point. */
export interface LaneRouterSettings {
  /** How long after its interval ended a folder's files stay open for late records. Default 30 s. */
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
  /** Sweep generation in which the folder was last left; folders idle for a whole sweep get closed. */
  used: number
}

const MAX_DATE_MS = 8.64e15

/**
 * The loglanes routing engine: takes records (time, level label, domain, the exact text of the line) and appends
 * each to every lane of its lane set, inside the folder of the record's own time.
 *
 * Writes are batched: everything routed before the event loop turns is written with one write per lane file.
 * Failures are emitted as `laneError` events (and one stderr line), never thrown.
 *
 * @example
 * ```ts
 * const router = new LaneRouter(resolveOptions({ domains: ['app', 'db'] }, { levels: { info: 30, error: 50 } }))
 * router.route(Date.now(), 'error', 'db', '{"level":50,"msg":"connection lost"}\n')
 * await router.close() // every line is in its file
 * ```
 */
export class LaneRouter extends EventEmitter<LaneRouterEvents> implements LaneFileHost {
  readonly options: ResolvedLanesOptions
  readonly fileMode: number
  readonly dirMode: number
  private readonly laneSets: LaneSets
  private readonly clock: IntervalClock
  private readonly timestamp: (t: number) => string
  private readonly folders = new Map<string, FolderState>()
  private readonly failingLanes = new Map<string, number>()
  private readonly graceMs: number
  private readonly stderr: boolean
  private current: FolderState | undefined
  private start = 0
  private end = 0
  private generation = 0
  private scheduled = false
  private closed = false
  private droppedAfterClose = 0
  private readonly sweeper: NodeJS.Timeout

  constructor(options: ResolvedLanesOptions, settings: LaneRouterSettings = {}) {
    super()
    this.options = options
    this.fileMode = options.fileMode
    this.dirMode = options.dirMode
    this.laneSets = new LaneSets(options)
    const zone = createZone(options.timezone)
    this.clock = createIntervalClock(options.intervalMinutes, zone)
    this.timestamp = compileStrftime(options.timestampFormat, zone)
    this.graceMs = settings.graceMs ?? 30_000
    this.stderr = settings.stderr ?? true
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, this.graceMs / 2))
    this.sweeper.unref()
  }

  /**
   * Routes one record whose text is final (a JSON line, or an already rendered text record), ending in `\n`.
   * `domain` is the record's domain value as found (undeclared or missing goes to `defaultDomain`).
   */
  route(time: number, level: string, domain: unknown, text: string): void {
    const files = this.filesFor(time, level, domain)
    if (files === undefined) return
    for (let i = 0; i < files.length; i++) files[i]!.append(text)
  }

  /**
   * Routes one record given as bytes: `source[start, end)` is the whole UTF-8 line with its `\n`. Saves the
   * transports an encode per lane: the bytes are copied into each lane's batch as they are.
   */
  routeBytes(
    time: number,
    level: string,
    domain: unknown,
    source: Uint8Array,
    start: number,
    end: number,
  ): void {
    const files = this.filesFor(time, level, domain)
    if (files === undefined) return
    for (let i = 0; i < files.length; i++) files[i]!.appendBytes(source, start, end)
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

  /** Writes every accepted line to its file descriptor now (lanes that are failing keep theirs for the retry). */
  flushSync(): void {
    this.scheduled = false
    for (const folder of this.folders.values()) {
      for (const file of folder.files) if (file?.pending) file.write()
    }
  }

  /** Resolves once every accepted line has been written to its file descriptor. */
  async flush(): Promise<void> {
    this.flushSync()
  }

  /** Flushes, closes every descriptor and stops the timers. Idempotent; later records are dropped and counted. */
  closeSync(): void {
    if (this.closed) return
    this.flushSync()
    this.closed = true
    clearInterval(this.sweeper)
    for (const folder of this.folders.values()) this.closeFolder(folder)
    this.folders.clear()
    this.current = undefined
  }

  /** Resolves after every line is written and every descriptor closed. Idempotent. */
  async close(): Promise<void> {
    this.closeSync()
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
    this.emit('laneError', { lane: file.lane, path: file.path, error })
  }

  laneRecovered(file: LaneFile): void {
    const count = (this.failingLanes.get(file.lane) ?? 1) - 1
    if (count > 0) {
      this.failingLanes.set(file.lane, count)
      return
    }
    this.failingLanes.delete(file.lane)
    this.diagnose(`lane "${file.lane}" recovered: writing ${file.path} again`)
    this.emit('laneRecovered', { lane: file.lane, path: file.path })
  }

  recordsDropped(file: LaneFile, records: number, reason: string): void {
    this.diagnose(`lane "${file.lane}" lost ${records} record(s) (${reason}): ${file.path}`)
    this.emit('recordsDropped', { lane: file.lane, path: file.path, records, reason })
  }

  /** The lane files of a record, in the folder of its time; undefined (and counted) after close. The hot path. */
  private filesFor(time: number, level: string, domain: unknown): readonly LaneFile[] | undefined {
    if (this.closed) {
      this.dropAfterClose()
      return undefined
    }
    let folder = this.current
    if (!(time >= this.start && time < this.end) || folder === undefined) folder = this.enter(time)
    const lanes = this.laneSets.lanesOf(domain, level)
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
        file = new LaneFile(lane, folder.path, join(folder.path, `${lane}.log`), this)
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
      if (this.scheduled && !this.closed) this.flushSync()
    })
  }

  /** Closes the files of folders whose interval ended more than a grace period ago and that sat idle. */
  private sweep(): void {
    this.generation++
    const now = Date.now()
    for (const folder of this.folders.values()) {
      if (folder === this.current || folder.end + this.graceMs > now || folder.used >= this.generation - 1)
        continue
      this.closeFolder(folder)
      this.folders.delete(folder.name)
    }
  }

  private closeFolder(folder: FolderState): void {
    for (const file of folder.files) file?.close()
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

/** A record time usable for a folder: the record's own, or now when it is missing or beyond what a Date holds. */
function validTime(time: number): number {
  return Number.isFinite(time) && Math.abs(time) <= MAX_DATE_MS ? time : Date.now()
}
