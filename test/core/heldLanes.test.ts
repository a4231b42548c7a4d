// With more lanes than maxOpenFiles, a lane whose file is closed waits (at most 100 ms, or until it has 16 KiB) before
// its records are written: a few lines would otherwise cost an open(2) and a close(2) each. flush and close never
// hold anything back. A closed lane does not grow its buffer past those 16 KiB (its buffers come from a pool the
// lanes share).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep, setImmediate as turn } from 'node:timers/promises'
import { LaneRouter, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'

const LANES = ['l0', 'l1', 'l2', 'l3', 'l4']
const T = Date.UTC(2026, 10, 20, 13, 30)

function router(dir: string): LaneRouter {
  const options = { dir, timezone: 'UTC', domains: LANES, levelFiles: false as const, interval: 'none' }
  return new LaneRouter(resolveOptions({ ...options, maxOpenFiles: 2 }, { levels: { info: 30 } }), {
    stderr: false,
  })
}

/** The records of lane `lane`, by their `n`. */
function numbers(dir: string, lane: string): number[] {
  let text: string
  try {
    text = readFileSync(join(dir, `${lane}.log`), 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { n: number }).n)
}

const record = (lane: string, n: number, pad = '') => `{"lane":"${lane}","n":${n},"pad":"${pad}"}\n`

describe('lanes held back while maxOpenFiles is reached', () => {
  it('a closed lane with a few records waits at most 100 ms; open lanes are written in the turn', async () => {
    const dir = tempDir()
    const r = router(dir)
    // l0 and l1 take the two descriptors.
    for (const lane of ['l0', 'l1']) r.route(T, 'info', lane, record(lane, 0))
    await r.flush()
    expect(r.openFileCount).toBe(2)
    const started = Date.now()
    for (const lane of LANES) r.route(T, 'info', lane, record(lane, 1))
    await turn()
    await turn()
    // The turn's writes: the open lanes now, the closed ones held.
    expect(LANES.map((lane) => numbers(dir, lane))).toEqual([[0, 1], [0, 1], [], [], []])
    while (numbers(dir, 'l4').length === 0 && Date.now() - started < 1_000) await sleep(5)
    // Written by the hold timer, within its 100 ms (and some slack for a loaded machine).
    expect(Date.now() - started).toBeLessThan(400)
    expect(LANES.map((lane) => numbers(dir, lane))).toEqual([[0, 1], [0, 1], [1], [1], [1]])
    expect(r.openFileCount).toBe(2)
    await r.close()
  })

  it('a closed lane with 16 KiB queued is written in the turn', async () => {
    const dir = tempDir()
    const r = router(dir)
    for (const lane of ['l0', 'l1']) r.route(T, 'info', lane, record(lane, 0))
    await r.flush()
    for (let n = 0; n < 20; n++) r.route(T, 'info', 'l2', record('l2', n, 'x'.repeat(1000)))
    r.route(T, 'info', 'l3', record('l3', 0))
    await turn()
    await turn()
    expect(numbers(dir, 'l2')).toEqual(Array.from({ length: 20 }, (_, n) => n))
    expect(numbers(dir, 'l3')).toEqual([])
    await r.close()
    expect(numbers(dir, 'l3')).toEqual([0])
  })

  it('a closed lane does not grow its buffer past 16 KiB: the record that would need more writes the batch first', async () => {
    const dir = tempDir()
    const r = router(dir)
    for (const lane of ['l0', 'l1']) r.route(T, 'info', lane, record(lane, 0))
    await r.flush()
    // Records of 1,024 bytes, as a transport hands them (bytes): the 16th fills 16 KiB exactly, the 17th does not
    // fit and writes the first 16 first.
    const line = (n: number) => Buffer.from(record('l2', n, 'x'.repeat(1024 - record('l2', n).length)))
    expect(line(0).length).toBe(1024)
    for (let n = 0; n < 16; n++) r.routeBytes(T, 'info', 'l2', line(n))
    expect(numbers(dir, 'l2')).toEqual([])
    r.routeBytes(T, 'info', 'l2', line(16))
    // No turn has passed: only the batch that reached the cap is written.
    expect(numbers(dir, 'l2')).toEqual(Array.from({ length: 16 }, (_, n) => n))
    for (let n = 17; n < 40; n++) r.routeBytes(T, 'info', 'l2', line(n))
    await r.close()
    expect(numbers(dir, 'l2')).toEqual(Array.from({ length: 40 }, (_, n) => n))
  })

  it('lanes that close and reopen in waves reuse batch buffers: every record once, in order, in its own lane', async () => {
    const dir = tempDir()
    const r = router(dir)
    for (let wave = 0; wave < 30; wave++) {
      // Each wave: every lane gets records of its own, of varied sizes; two descriptors for five lanes.
      for (let i = 0; i < 12; i++) {
        for (const [k, lane] of LANES.entries()) {
          r.route(
            T,
            'info',
            lane,
            record(lane, wave * 12 + i, lane.repeat(((wave * 7 + i * 13 + k * 5) % 40) * 25)),
          )
        }
      }
      if (wave % 3 === 0) await r.flush()
      else await turn()
    }
    await r.close()
    for (const lane of LANES) {
      const text = readFileSync(join(dir, `${lane}.log`), 'utf8')
      const lines = text.split('\n').filter((l) => l !== '')
      expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual(
        Array.from({ length: 360 }, (_, n) => n),
      )
      for (const l of lines) {
        const parsed = JSON.parse(l) as { lane: string; pad: string }
        expect(parsed.lane).toBe(lane)
        expect(parsed.pad.replaceAll(lane, '')).toBe('')
      }
    }
  })

  it('flush and close write every held lane at once', async () => {
    const dir = tempDir()
    const r = router(dir)
    for (const lane of ['l0', 'l1']) r.route(T, 'info', lane, record(lane, 0))
    await r.flush()
    for (const lane of LANES) r.route(T, 'info', lane, record(lane, 1))
    await turn()
    await turn()
    expect(numbers(dir, 'l2')).toEqual([])
    await r.flush()
    expect(LANES.map((lane) => numbers(dir, lane))).toEqual([[0, 1], [0, 1], [1], [1], [1]])
    for (const lane of LANES) r.route(T, 'info', lane, record(lane, 2))
    await turn()
    await turn()
    await r.close()
    expect(LANES.map((lane) => numbers(dir, lane).at(-1))).toEqual([2, 2, 2, 2, 2])
  })
})
