import { HOLD_BYTES } from './heldLanes.js'

/**
 * The size of a lane's first batch buffer, and of every buffer the pool keeps: what a lane whose file is closed
 * holds at most before it is written (see `writeOrHold`), so such a lane never grows its buffer.
 */
export const POOLED_BYTES = HOLD_BYTES

/**
 * Buffers kept for reuse, at most (32 MiB at 16 KiB): as many as a busy folder of thousands of lanes has, which
 * close and start batches in waves (every held lane is written in one turn, then gets records again from the next
 * chunk). Keeping 256 let most of a wave go and allocated it again (W6, 2,000 lanes: peak RSS +13 MB, 10% slower).
 */
const MOST_KEPT = 2048

/**
 * Batch buffers that lanes give back when their file is closed with nothing queued, for the next lane that gets a
 * record. With more lanes than `maxOpenFiles`, lanes close and start batches all the time: a fresh buffer each time
 * is memory outside the heap that waits for a garbage collection, tens of MiB at 2,000 lanes. Only buffers of
 * {@link POOLED_BYTES} are kept, at most {@link MOST_KEPT}; a buffer given back must no longer be used by its lane.
 * The host trims it to what lanes took lately ({@link BatchPool.trim}) and empties it when it closes.
 *
 * @example
 * ```ts
 * const pool = new BatchPool()
 * const batch = pool.take() // POOLED_BYTES long
 * pool.give(batch)
 * ```
 */
export class BatchPool {
  private readonly kept: Buffer[] = []
  /** Buffers taken since the last {@link trim}. */
  private taken = 0

  /**
   * A buffer of {@link POOLED_BYTES}: one given back, or a new one (never a slice of Node's shared pool, which an
   * app may have made larger: a kept slice would keep the whole block).
   */
  take(): Buffer {
    this.taken++
    return this.kept.pop() ?? Buffer.allocUnsafeSlow(POOLED_BYTES)
  }

  /** Keeps `buffer` for a later {@link take} when it is a pooled size and the pool has room; else lets it go. */
  give(buffer: Buffer): void {
    if (buffer.length === POOLED_BYTES && this.kept.length < MOST_KEPT) this.kept.push(buffer)
  }

  /**
   * Keeps at most as many buffers as lanes took since the last call and lets the rest go: the host calls it now and
   * then (each sweep, a second or more apart), so the pool follows what lanes need lately, and a logger that went
   * quiet keeps none.
   */
  trim(): void {
    if (this.kept.length > this.taken) this.kept.length = this.taken
    this.taken = 0
  }

  /** Lets every kept buffer go: for a host that closes. */
  clear(): void {
    this.kept.length = 0
    this.taken = 0
  }
}
