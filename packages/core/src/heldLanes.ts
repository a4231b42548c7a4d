import type { LaneFile } from './laneFile.js'

/**
 * With every descriptor `maxOpenFiles` allows taken, a lane whose file is closed waits until it has this many bytes
 * queued, or for {@link HOLD_MS}, before it is written.
 */
export const HOLD_BYTES = 16 * 1024
/** The longest a record waits in a held lane: what `tail -F` and shippers may see as latency, with many lanes. */
export const HOLD_MS = 100

/**
 * The writes of a turn while every descriptor `maxOpenFiles` allows is taken. A lane whose file is closed and that
 * has less than {@link HOLD_BYTES} queued is held back for up to {@link HOLD_MS}: writing it would cost an
 * `open(2)` and a `close(2)` (of the least recently written file) for a few lines, and with thousands of lanes every
 * write would. Every other lane with records is written. (`flush`, `close` and the exit hook write everything:
 * they never hold anything back.)
 *
 * @returns when the first lane held back is due (epoch ms; `Infinity` when none is), and whether any was written
 * @example
 * ```ts
 * const { nextDue } = writeOrHold(folder.files, Date.now())
 * if (nextDue !== Number.POSITIVE_INFINITY) setTimeout(writeAgain, nextDue - Date.now())
 * ```
 */
export function writeOrHold(
  files: Iterable<LaneFile | undefined>,
  now: number,
): { written: boolean; nextDue: number } {
  let written = false
  let nextDue = Number.POSITIVE_INFINITY
  for (const file of files) {
    if (!file?.pending) continue
    if (!file.isOpen && !file.isFailing && file.queuedBytes < HOLD_BYTES) {
      if (file.heldSince < 0) file.heldSince = now
      const due = file.heldSince + HOLD_MS
      if (due > now) {
        nextDue = Math.min(nextDue, due)
        continue
      }
    }
    file.write()
    written = true
  }
  return { written, nextDue }
}
