// A router's events (laneError, laneRecovered, recordsDropped) reach listeners after the write that raised them.
// Listeners often log, and often to the lane that just failed: called in the middle of its write, when part of the
// batch was already in the file, such a record made the lane write records twice, lose some, or tear them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LaneRouter, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../support/files.js'
import { mountTmpfs, TMPFS_UNAVAILABLE } from '../support/tmpfs.js'

const T = Date.UTC(2026, 10, 20, 13, 30)

describe.skipIf(TMPFS_UNAVAILABLE !== undefined)('a listener that logs to the lane that failed', () => {
  it('a write cut short by a full disk, a laneError listener logging to the same lane: every record once, in order', async () => {
    const { disk } = mountTmpfs('512k')
    // About 100 KiB free: the first 256 KiB batch is cut short part way.
    const filler = join(disk, 'filler')
    writeFileSync(filler, Buffer.alloc(400 * 1024, 0x2e))
    const dir = join(disk, 'logs')
    const router = new LaneRouter(
      resolveOptions(
        { dir, domains: ['app'], levelFiles: false, interval: 'none' },
        { levels: { info: 30 } },
      ),
      { stderr: false },
    )
    let recovered = false
    let heard = 0
    router.on('laneRecovered', () => {
      recovered = true
    })
    router.on('laneError', () => {
      heard++
      // Larger than what is left of the batch being written: before, it set that whole batch aside, the part
      // already in the file included.
      router.routeBytes(
        T,
        'info',
        'app',
        Buffer.from(`{"n":-1,"from":"listener","pad":"${'q'.repeat(64 * 1024)}"}\n`),
      )
    })
    const line = (n: number) => `{"n":${n},"pad":"${'p'.repeat(1000)}"}\n`
    for (let n = 0; n < 400; n++) router.routeBytes(T, 'info', 'app', Buffer.from(line(n)))
    await waitFor(() => heard > 0, 5_000, 'the laneError listener')
    rmSync(filler)
    await waitFor(() => recovered, 10_000, 'the lane recovered')
    await router.close()

    const texts = readFileSync(join(dir, 'app.log'), 'utf8')
      .split('\n')
      .filter((text) => text !== '')
    const numbers: number[] = []
    for (const text of texts) {
      let record: { n: number } | undefined
      try {
        record = JSON.parse(text)
      } catch {
        // A record the full disk cut stays as a fragment on its own line (it is written again whole).
        expect(line(Number(/^\{"n":(\d+)/.exec(text)?.[1])).startsWith(text)).toBe(true)
        continue
      }
      numbers.push(record!.n)
    }
    expect(heard).toBe(1)
    // The listener's record comes after the records queued before the failure, once; none twice, none lost.
    const listener = numbers.indexOf(-1)
    expect(numbers.filter((n) => n === -1)).toHaveLength(1)
    expect(numbers.filter((n) => n !== -1)).toEqual(Array.from({ length: 400 }, (_, n) => n))
    expect(listener).toBeGreaterThan(0)
  })
})
