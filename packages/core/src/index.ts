/**
 * @loglanes/core — the routing engine shared by `@loglanes/pino`, `@loglanes/winston` and `loglanes`.
 * It knows nothing of pino or winston: its input is a record's time, level label, domain and text.
 * @packageDocumentation
 */
export { closestName } from './closestName.js'
export { flushOnExit, type SyncFlushable } from './exitFlush.js'
export { createIntervalClock, type Interval, type IntervalClock, parseInterval } from './intervalClock.js'
export { LaneFile, type LaneFileHost } from './laneFile.js'
export {
  type LaneErrorEvent,
  LaneRouter,
  type LaneRouterEvents,
  type LaneRouterSettings,
  type RecordsDroppedEvent,
} from './laneRouter.js'
export { type LaneSet, LaneSets } from './laneSet.js'
export { LanesConfigError } from './lanesConfigError.js'
export {
  LANE_NAME_PATTERN,
  type LanesOptions,
  type LevelFilesMode,
  type ResolveContext,
  type ResolvedLanesOptions,
  type ResolvedRetention,
  type RetentionOptions,
  resolveOptions,
} from './options.js'
export { safeJsonStringify } from './safeJson.js'
export { compileStrftime, DEFAULT_TIMESTAMP_FORMAT } from './strftime.js'
export { escapeControl, renderTextRecord, type TextRecord } from './textFormat.js'
export { createZone, isKnownTimeZone, type Zone } from './zone.js'
