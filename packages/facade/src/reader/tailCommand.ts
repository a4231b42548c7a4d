import { basename } from 'node:path'
import { closestName, type LogFolder } from '@loglanes/core'
import { type CommandIo, isLogDirectory, processIo } from './commandIo.js'
import { type FollowedRecord, type FollowedStart, LaneFollower } from './laneFollower.js'
import {
  type LaneFileSet,
  type LaneGroup,
  laneFilePaths,
  laneNames,
  openGroupFolder,
  scanLaneGroups,
} from './laneLayout.js'
import { LaneReader, type LaneReaderOptions, type PlainCursor } from './laneReader.js'
import { RecordDedupe } from './recordDedupe.js'
import { mergeByTime } from './recordMerge.js'
import { RecordPrinter, STOPPED } from './recordPrinter.js'

/** What `loglanes tail` reads and how it prints. */
export interface TailOptions {
  /** The log folder (`dir` of the loggers), or one interval folder. */
  readonly dir: string
  /** Lane names chosen with `--domain`, `--level` and `--lane`; empty for every lane. */
  readonly lanes: readonly string[]
  /** Only records of these levels (`--domain db --level error`: db's errors); undefined for every level. */
  readonly levels?: readonly string[] | undefined
  /** Only records newer than this many milliseconds ago. */
  readonly sinceMs?: number | undefined
  /** Keep printing what is appended, across rollovers, until SIGINT or SIGTERM. */
  readonly follow?: boolean | undefined
  /** Print the lines as written instead of the readable rendering. */
  readonly json?: boolean | undefined
  /** How often to look for new lines when following. Default 250 ms. */
  readonly pollMs?: number | undefined
}

const DEFAULT_POLL_MS = 250
/** How soon the lanes are read again while found records are held (see heldBack). */
const SETTLE_MS = 100

/**
 * The message for lane names that no folder has, listing those that exist: an error, or with `waiting` (following)
 * a notice.
 */
export function unknownLanesMessage(
  names: readonly string[],
  dir: string,
  existing: readonly string[],
  waiting = false,
): string {
  const quoted = names.map((name) => `'${name}'`).join(', ')
  const lanes = existing.join(', ') || 'none'
  // One misspelled name gets the closest lane that exists.
  const suggestion = names.length === 1 ? closestName(names[0]!, existing) : undefined
  const subject = `no lane${names.length > 1 ? 's' : ''} named ${quoted} in ${dir}${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}`
  if (!waiting) return `${subject}; lanes: ${lanes}`
  return `${subject} yet (lanes: ${lanes}); waiting for ${names.length > 1 ? 'them' : 'it'}`
}

async function lastModified(folder: LogFolder, files: LaneFileSet): Promise<number> {
  let newest = Number.NEGATIVE_INFINITY
  for (const { path } of laneFilePaths(files)) {
    // Unknown is as good as new: the file is read.
    const info = await folder.lstat(basename(path)).catch(() => undefined)
    newest = Math.max(newest, info?.mtimeMs ?? Number.POSITIVE_INFINITY)
  }
  return newest
}

/**
 * `loglanes tail`: prints the records of the chosen lanes under `dir`, merged in time order and each once (a
 * record is written to several lanes: identical lines of different lanes of one folder are printed once), folder
 * after folder; then, with `follow`, what is appended, moving to new interval folders as they appear, until
 * SIGINT or SIGTERM.
 *
 * Records are rendered readably (colored by level when the output is a terminal that wants colors) or, with
 * `json`, printed as the lines they are. Errors go to stderr as one `loglanes: ...` line.
 *
 * @returns the exit code: 0, or 1 for a missing folder, an unknown lane (without `follow`) or an unreadable file.
 * @example
 * ```ts
 * await tailLanes({ dir: 'logs', lanes: ['db', 'error'], sinceMs: 600_000 }) // records of the last 10 minutes
 * ```
 */
export async function tailLanes(options: TailOptions, io: CommandIo = processIo()): Promise<number> {
  const { dir } = options
  if (!(await isLogDirectory(dir, io))) return 1
  const groups = await scanLaneGroups(dir)
  const chosen = options.lanes.length > 0 ? new Set(options.lanes) : undefined
  if (chosen !== undefined) {
    const existing = laneNames(groups)
    const unknown = [...chosen].filter((name) => !existing.includes(name))
    if (unknown.length > 0) {
      // A lane appears with its first record (error.log with the first error): following waits for it.
      io.stderr.write(`loglanes: ${unknownLanesMessage(unknown, dir, existing, options.follow)}\n`)
      if (!options.follow) return 1
    }
  }

  const printer = new RecordPrinter(io, options)
  let follower: LaneFollower | undefined
  if (options.follow) {
    process.once('SIGINT', printer.stop)
    process.once('SIGTERM', printer.stop)
  }
  try {
    const folders = groups.filter((group) => group.name !== '.').map((group) => group.name)
    // The newest folder and the one before it (it may still take late records right after a rollover).
    const followed = new Set(options.follow ? ['.', ...folders.slice(-2)] : [])
    const starts = await printGroups(groups, followed, chosen, printer, timesOnly(options))
    if (options.follow) {
      follower = new LaneFollower({
        dir,
        lanes: chosen,
        knownFolders: folders,
        followed: starts,
        onError: printer.reportError,
        onWarning: printer.reportWarning,
        timesOnly: timesOnly(options),
      })
      await followLanes(follower, starts, printer, options.pollMs ?? DEFAULT_POLL_MS)
    }
  } catch (error) {
    if (error !== STOPPED) throw error
  } finally {
    process.off('SIGINT', printer.stop)
    process.off('SIGTERM', printer.stop)
    await follower?.close()
  }
  await printer.flush()
  return printer.failed ? 1 : 0
}

/** Printing lines as written needs only their times, unless a level filter must read their levels. */
function timesOnly(options: TailOptions): boolean {
  return options.json === true && options.levels === undefined
}

/** A folder followed from where its reading ended, and the dedupe that goes on remembering its records. */
interface StartOfFollowing extends FollowedStart {
  readonly dedupe: RecordDedupe | undefined
}

/**
 * Prints every folder, oldest first, each by a merge of its chosen lanes. Folders in `followed` are read up to the
 * last whole line of each file, for following to go on from there.
 */
async function printGroups(
  groups: readonly LaneGroup[],
  followed: ReadonlySet<string>,
  chosen: ReadonlySet<string> | undefined,
  printer: RecordPrinter,
  timesOnly: boolean,
): Promise<StartOfFollowing[]> {
  const starts: StartOfFollowing[] = []
  try {
    await printEach(groups, followed, chosen, printer, timesOnly, starts)
  } catch (error) {
    for (const start of starts) await start.folder.close()
    throw error
  }
  return starts
}

/** The loop of {@link printGroups}: adds each followed folder, still open, to `starts` as it goes. */
async function printEach(
  groups: readonly LaneGroup[],
  followed: ReadonlySet<string>,
  chosen: ReadonlySet<string> | undefined,
  printer: RecordPrinter,
  timesOnly: boolean,
  starts: StartOfFollowing[],
): Promise<void> {
  for (const group of groups) {
    const isFollowed = followed.has(group.name)
    let folder: LogFolder
    try {
      folder = await openGroupFolder(group)
    } catch (error) {
      // Removed meanwhile (retention): nothing to read. A link in its place is never followed.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') printer.reportError(group.path, error as Error)
      continue
    }
    let handedOn = false
    try {
      const { readers, dedupe } = await openGroup(group, folder, chosen, printer.since, {
        holdPartial: isFollowed,
        timesOnly,
        onError: printer.reportError,
        onWarning: printer.reportWarning,
      })
      await mergeByTime(
        readers.map((reader) => reader.batches()),
        (record, source) => printer.print(record, readers[source]!.files.lane, dedupe),
      )
      if (isFollowed) {
        const cursors = new Map<string, PlainCursor>()
        for (const reader of readers)
          for (const [name, cursor] of reader.plainCursors) cursors.set(name, cursor)
        // Following goes on in the very folder read here.
        starts.push({ name: group.name, folder, cursors, dedupe })
        handedOn = true
      }
    } finally {
      if (!handedOn) await folder.close()
    }
  }
}

/** Polls `follower` and prints what it finds until the printer is stopped (a signal) or its output closes. */
async function followLanes(
  follower: LaneFollower,
  starts: readonly StartOfFollowing[],
  printer: RecordPrinter,
  pollMs: number,
): Promise<void> {
  const dedupes = new Map<string, RecordDedupe>()
  for (const start of starts) if (start.dedupe !== undefined) dedupes.set(start.name, start.dedupe)
  // Records found by the last poll, printed after the next one (see heldBack).
  let held: FollowedRecord[] = []
  while (!printer.done) {
    await printer.flush()
    const { records: found, more } = await follower.poll()
    const { records, rest } = heldBack(held, found)
    held = rest
    // Lanes and folders are polled one after another: order what they gave by time (a stable sort).
    records.sort((a, b) => (a.record.time < b.record.time ? -1 : a.record.time > b.record.time ? 1 : 0))
    for (const { record, group, lane } of records) {
      let dedupe = dedupes.get(group)
      if (dedupe === undefined) {
        dedupe = new RecordDedupe()
        dedupes.set(group, dedupe)
      }
      const waiting = printer.print(record, lane, dedupe)
      if (waiting !== undefined) await waiting
    }
    // A folder no longer followed takes no more records: forget what its dedupe remembers.
    for (const name of dedupes.keys()) if (!follower.isFollowed(name)) dedupes.delete(name)
    if (!more) {
      await printer.flush()
      await printer.pause(held.length > 0 ? SETTLE_MS : pollMs)
    }
  }
}

/**
 * What to print after a poll: the records held from the one before, with what this poll found that is older than
 * the newest of them; the rest is held until the next poll. A writer appends to its lanes one after another, and
 * a reader may even see part of one write: a poll falling in between finds a record in one lane but not an older
 * one in another. Held once, a record is printed after the older ones its writer wrote with it.
 */
function heldBack(
  held: FollowedRecord[],
  found: FollowedRecord[],
): { records: FollowedRecord[]; rest: FollowedRecord[] } {
  if (held.length === 0) return { records: [], rest: found }
  let newest = Number.NEGATIVE_INFINITY
  for (const { record } of held) if (record.time > newest) newest = record.time
  const rest: FollowedRecord[] = []
  for (const entry of found) (entry.record.time <= newest ? held : rest).push(entry)
  return { records: held, rest }
}

/** The readers of a folder's chosen lanes, and the dedupe its merge needs (none for a single lane read once). */
async function openGroup(
  group: LaneGroup,
  folder: LogFolder,
  chosen: ReadonlySet<string> | undefined,
  cutoff: number,
  options: LaneReaderOptions,
): Promise<{ readers: LaneReader[]; dedupe: RecordDedupe | undefined }> {
  // Followed folders are read whole, whatever the cutoff: following goes on from where the reading ended.
  const followed = options.holdPartial
  const readers: LaneReader[] = []
  for (const files of group.lanes) {
    if (chosen !== undefined && !chosen.has(files.lane)) continue
    // A file last written before the cutoff holds no record after it (a record is written after its time).
    if (!followed && cutoff > Number.NEGATIVE_INFINITY && (await lastModified(folder, files)) < cutoff)
      continue
    readers.push(new LaneReader(files, folder, options))
  }
  const dedupe = readers.length > 1 || followed ? new RecordDedupe() : undefined
  return { readers, dedupe }
}
