/** How far the newest record time may move past a remembered record's first copy before it is forgotten. */
const WINDOW_MS = 10_000
/** At most this many distinct records are remembered (a burst within the window, or untimed text records). */
const MAX_REMEMBERED = 100_000

interface Seen {
  /** The newest record time met when its first copy was: copies of a late record are also met late. */
  readonly since: number
  /** Copies printed so far. */
  printed: number
  /** The lane of each copy met so far (a short list: a record is in a few lanes; cheaper than a Map each). */
  readonly lanes: string[]
}

/**
 * Prints each record of a folder once although it is written to several lanes (`db.log` and `error.log`, mirrors).
 *
 * The copies of a record are identical bytes, and a record is written at most once to a lane; two distinct
 * records can still be identical (the same message in the same millisecond). So a record text is printed as many
 * times as the lane holding it most often holds it: the n-th copy met in a lane is printed only if no lane has
 * shown n copies yet. A text is remembered until the newest time met has moved {@link WINDOW_MS} past what it
 * was at its first copy (lanes are merged by time, so the copies of a record meet close together, late records
 * included), and at most {@link MAX_REMEMBERED} texts are.
 */
export class RecordDedupe {
  private readonly seen = new Map<string, Seen>()
  /**
   * Remembered texts in the order first met, from `head` on. Forgetting walks this queue, not the Map: a Map keeps
   * the slots of deleted entries until it rehashes, and walking them on every call would cost more than the rest.
   */
  private order: string[] = []
  private head = 0
  private newest = Number.NEGATIVE_INFINITY

  /** Whether this copy of `text`, met in `lane`, is to be printed. */
  admit(text: string, time: number, lane: string): boolean {
    if (time > this.newest) {
      this.newest = time
      this.forget()
    }
    let seen = this.seen.get(text)
    if (seen === undefined) {
      if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.order[this.head++]!)
      seen = { since: this.newest, printed: 0, lanes: [] }
      this.seen.set(text, seen)
      this.order.push(text)
    }
    seen.lanes.push(lane)
    let copies = 0
    for (const met of seen.lanes) if (met === lane) copies++
    if (copies <= seen.printed) return false
    seen.printed = copies
    return true
  }

  /** Forgets texts first met more than the window ago, oldest first. */
  private forget(): void {
    const horizon = this.newest - WINDOW_MS
    while (this.head < this.order.length) {
      const text = this.order[this.head]!
      if (this.seen.get(text)!.since >= horizon) break
      this.seen.delete(text)
      this.head++
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head)
      this.head = 0
    }
  }
}
