import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'
// @ts-expect-error: a plain script shared with `npm run soak`, which runs the long version
import { runSoak } from './soak/soak.mjs'

interface SoakResult {
  readonly sent: number
  readonly found: number
  readonly missing: number
  readonly duplicates: number
  readonly torn: number
  readonly laneErrors: readonly string[]
  readonly peakRssMb: number
}

// The short version of `npm run soak` (60 s pino, 30 s winston): the same closed-loop load, a few seconds each.
describe('soak (short)', () => {
  it.each([
    ['pino', 3],
    ['winston', 2],
  ])(
    '%s: %i s at the highest sustained rate, every record in its domain and level file exactly once',
    async (entry, seconds) => {
      const result = (await runSoak(entry, seconds, tempDir())) as SoakResult
      expect(result.sent).toBeGreaterThan(10_000)
      expect(result.missing).toBe(0)
      expect(result.duplicates).toBe(0)
      expect(result.torn).toBe(0)
      expect(result.laneErrors).toEqual([])
      expect(result.found).toBe(result.sent)
      // Bounded: a closed loop keeps at most two batches in flight, whatever the rate.
      expect(result.peakRssMb).toBeLessThan(512)
    },
  )
})
