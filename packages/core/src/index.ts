// The published declarations use Node's types (NodeJS.Timeout, node:events): this keeps them compiling in a project
// with no `types` setting (TypeScript 6+ no longer loads every @types package by default). `preserve` keeps it in
// the emitted index.d.ts, which every other loglanes package's declarations import.
/// <reference types="node" preserve="true" />
/**
 * @loglanes/core — the routing engine shared by `@loglanes/pino`, `@loglanes/winston` and `loglanes`.
 * It knows nothing of pino or winston: its input is a record's time, level label, domain and text.
 *
 * ## Interval maintenance
 *
 * With `retention`, `compress: 'gzip'` or `symlink` set, every {@link LaneRouter} maintains its `dir` once at
 * start and after each rollover (a record opening an interval newer than any it routed), asynchronously and
 * never in the way of routing ({@link runMaintenance} runs the same pass on demand). What it guarantees:
 *
 * - **Only its own folders.** It lists `dir` and touches only directories named as interval folders of the
 *   configured interval and zone (`2026-11-20`, `2026-11-20__14-00`); other files and folders, other
 *   intervals' folders and dot-names are never touched. There is no audit file: a restart, or new options,
 *   forget nothing.
 * - **Retention** deletes folders beyond the newest `keep` and those whose interval ended more than `maxAge`
 *   ago (compressed files go with their folder), never the interval of now by the clock, the active interval
 *   (the newest routed, when it starts within {@link MAX_CLOCK_SKEW_MS} of the clock, else that of now), the
 *   newest routed one, nor the interval before any of them, whatever record times said. Folders of intervals
 *   further ahead (records timed in the future) neither count toward `keep` nor are deleted until their time.
 *   With `maxTotalSize`, the oldest of the other folders are then deleted while the folders (every regular file,
 *   archives included, measured with `lstat`) hold more than it; it wins over every age and `keep`, and when the
 *   folders it may not delete alone hold more, that is reported. With `lanes`, a lane's own `maxAge` deletes its
 *   files from older folders that stay, or keeps them alone in folders the folder-wide rules delete.
 * - **Compression** turns each `<lane>.log` of a folder whose interval ended, and whose files were last written,
 *   more than `graceMs` plus two sweeps ago (60 s by default), and which this process is not writing, into
 *   `<lane>.log.gz`. Bytes are moved aside, gzipped (Node's zlib) to a temporary name, synced and renamed in;
 *   only then is the copy removed. A crash at any point leaves the original bytes or the finished archive,
 *   never neither and never both counted twice, and the next pass finishes or cleans up what it left. A late
 *   record goes to a fresh `<lane>.log` beside the archive and is appended to it, as one more gzip member, by a
 *   later pass: `gunzip` gives every line. While a lane is being compressed its bytes sit in a dot-named
 *   private copy (`.<lane>.log.<token>.pending`); one written to meanwhile waits there for a later pass.
 * - **The link** `<dir>/<symlink>` points at the active folder (relative target; it may not exist yet) and is
 *   replaced atomically, by renaming a new link over it: readers always find a link, and concurrent processes
 *   never fail.
 * - **Many processes** may share `dir`: retention and compression run under an exclusive lock file
 *   (`.loglanes.lock`; one whose owner died, or untouched for 10 minutes, is taken over); a process that
 *   cannot take it skips that part of the pass. Every step is idempotent and takes a file already handled by
 *   another process (ENOENT) as done.
 * - **Failures** never reach the host: each is reported once per step and cause, as a `maintenanceError`
 *   event and one stderr line, and retried on a later pass.
 * - **Closing**: `close()` waits for a pass in progress, which finishes the file it is compressing and starts
 *   no other (a pass due after the last rollover still updates the link and applies retention); `closeSync()`
 *   does not wait.
 *
 * @packageDocumentation
 */
export { closestName } from './closestName.js'
export { pointLink } from './currentLink.js'
export { flushOnExit, type SyncFlushable } from './exitFlush.js'
export { formatFolderName, parseFolderName } from './folderNames.js'
export { type FolderScan, type LaneFiles, scanFolder } from './folderScan.js'
export {
  type GzipFolderOptions,
  type GzipFolderResult,
  gzipFolder,
} from './gzipFolder.js'
export {
  createIntervalClock,
  type Interval,
  type IntervalClock,
  MAX_CLOCK_SKEW_MS,
  parseInterval,
} from './intervalClock.js'
export { LaneFile, type LaneFileHost } from './laneFile.js'
export { type LaneFileName, parseLaneFileName, partName } from './laneFileNames.js'
export {
  type LaneErrorEvent,
  LaneRouter,
  type LaneRouterEvents,
  type LaneRouterSettings,
  type RecordsDroppedEvent,
} from './laneRouter.js'
export { type LaneSet, LaneSets } from './laneSet.js'
export { LanesConfigError } from './lanesConfigError.js'
export { prepareLanesDir } from './lanesDir.js'
export {
  type MaintenanceErrorEvent,
  type MaintenancePass,
  type MaintenanceResult,
  type MaintenanceStep,
  runMaintenance,
} from './maintenance.js'
export {
  acquireMaintenanceLock,
  DEFAULT_LOCK_STALE_MS,
  MAINTENANCE_LOCK_NAME,
  type MaintenanceLock,
  type MaintenanceLockOptions,
} from './maintenanceLock.js'
export {
  LANE_NAME_PATTERN,
  LANES_OPTION_NAMES,
  type LanesOptions,
  type LevelFilesList,
  type LevelFilesMode,
  type ResolveContext,
  type ResolvedLanesOptions,
  type ResolvedRetention,
  type RetentionOptions,
  readOption,
  readPlainOptions,
  resolveOptions,
  thrownMessage,
} from './options.js'
export { DEFAULT_MAX_HELD_SIZE, DEFAULT_MAX_OPEN_FILES, type ResolvedBounds } from './optionsBounds.js'
export { LogFolder, openLogForReading } from './ownFiles.js'
export {
  foldersToDelete,
  type LaneTrim,
  laneOfFile,
  planRetention,
  type RetentionFolder,
  type RetentionPlan,
  type RetentionPlanRequest,
  type RetentionRequest,
} from './retention.js'
export { safeJsonStringify } from './safeJson.js'
export { formatSize, parseSize } from './sizes.js'
export { compileStrftime, DEFAULT_TIMESTAMP_FORMAT } from './strftime.js'
export { escapeControl, renderTextLine, renderTextRecord, type TextRecord } from './textFormat.js'
export { TextLineRenderer } from './textLineRenderer.js'
export { createZone, isKnownTimeZone, type Zone } from './zone.js'
