import type { LaneRecord } from './laneRecord.js'

interface Head {
  /** Position of the source, the tie-break that keeps equal times stable. */
  readonly source: number
  readonly batches: AsyncIterator<LaneRecord[]>
  batch: LaneRecord[]
  index: number
}

function before(a: Head, b: Head): boolean {
  const ta = a.batch[a.index]!.time
  const tb = b.batch[b.index]!.time
  return ta < tb || (ta === tb && a.source < b.source)
}

/** Moves to the next non-empty batch of a source; false when it has no more. */
async function advance(head: Head): Promise<boolean> {
  for (;;) {
    const next = await head.batches.next()
    if (next.done) return false
    if (next.value.length > 0) {
      head.batch = next.value
      head.index = 0
      return true
    }
  }
}

/**
 * Merges record sources (each in file order) into one sequence by time: a k-way merge over a binary heap, reading
 * each source a batch at a time, so memory holds one batch per source whatever the file sizes. Records of equal
 * time come in source order, and records of one source keep their order.
 *
 * @param onRecord called with each record and the index of its source; a promise it returns (the output is full)
 *   is awaited before going on.
 * @example
 * ```ts
 * await mergeByTime([new LaneReader(db, false, report).batches(), ...], (record, source) => print(record))
 * ```
 */
export async function mergeByTime(
  sources: readonly AsyncIterable<LaneRecord[]>[],
  onRecord: (record: LaneRecord, source: number) => Promise<void> | undefined,
): Promise<void> {
  const heap: Head[] = []
  for (let source = 0; source < sources.length; source++) {
    const head: Head = { source, batches: sources[source]![Symbol.asyncIterator](), batch: [], index: 0 }
    if (await advance(head)) push(heap, head)
  }
  try {
    while (heap.length > 0) {
      const head = heap[0]!
      const waiting = onRecord(head.batch[head.index]!, head.source)
      if (waiting !== undefined) await waiting
      head.index++
      if (head.index < head.batch.length || (await advance(head))) siftDown(heap, 0)
      else {
        const last = heap.pop()!
        if (heap.length > 0) {
          heap[0] = last
          siftDown(heap, 0)
        }
      }
    }
  } finally {
    // Stopped early (the output closed): let the sources close their files.
    for (const head of heap) await head.batches.return?.()
  }
}

function push(heap: Head[], head: Head): void {
  heap.push(head)
  let child = heap.length - 1
  while (child > 0) {
    const parent = (child - 1) >> 1
    if (!before(heap[child]!, heap[parent]!)) return
    ;[heap[child], heap[parent]] = [heap[parent]!, heap[child]!]
    child = parent
  }
}

function siftDown(heap: Head[], start: number): void {
  let parent = start
  for (;;) {
    const left = 2 * parent + 1
    if (left >= heap.length) return
    const right = left + 1
    const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left
    if (!before(heap[child]!, heap[parent]!)) return
    ;[heap[child], heap[parent]] = [heap[parent]!, heap[child]!]
    parent = child
  }
}
