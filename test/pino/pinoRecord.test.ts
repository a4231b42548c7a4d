import { LevelLabels, LineScanner, PINO_LEVELS, RecordTimes } from '@loglanes/pino'
import { describe, expect, it } from 'vitest'

describe('LevelLabels', () => {
  it('labels known, unknown, learned and unusual level values', () => {
    const labels = new LevelLabels(new Map(Object.entries(PINO_LEVELS)))
    expect(labels.labelOf(30)).toBe('info')
    expect(labels.labelOf(60)).toBe('fatal')
    expect(labels.labelOf(35)).toBe('level-35')
    expect(labels.labelOf(30.5)).toBe('level-30.5')
    expect(labels.labelOf(-1)).toBe('level--1')
    expect(labels.labelOf(1000)).toBe('level-1000')
    expect(labels.labelOf(-0)).toBe('level-0')
    expect(labels.labelOf('audit')).toBe('audit')
    expect(labels.labelOf(undefined)).toBe('')
    labels.learn({ audit: 35, notice: 1000, info: 31 })
    expect(labels.labelOf(35)).toBe('audit')
    expect(labels.labelOf(1000)).toBe('notice')
    // A number already labelled keeps its label; a new one for another number is added.
    expect(labels.labelOf(30)).toBe('info')
    expect(labels.labelOf(31)).toBe('info')
  })
})

describe('RecordTimes', () => {
  const T = Date.UTC(2026, 10, 20, 14)

  it('reads epoch ms, epoch seconds (unixTime) and ISO strings; anything else is NaN, which routes by now', () => {
    const times = new RecordTimes()
    expect(times.timeOf(T)).toBe(T)
    expect(times.timeOf(T / 1000)).toBe(T)
    expect(times.timeOf('2026-11-20T14:00:00.000Z')).toBe(T)
    expect(times.timeOf('2026-11-20T14:00:00.000Z')).toBe(T)
    expect(times.timeOf('not a time')).toBeNaN()
    expect(times.timeOf(undefined)).toBeNaN()
  })

  it("takes pino's own time from the scanner, not a later field the app calls time", () => {
    const scanner = new LineScanner('domain')
    const times = new RecordTimes()
    for (const field of ['5', '"2001-01-01T00:00:00Z"', '1700000000', '{"at":1}']) {
      const line = `{"level":30,"time":"2026-11-20T14:00:00.000Z","pid":1,"time":${field},"msg":"query took 5 ms"}`
      expect(scanner.scan(line, 0, line.length)).toBe(true)
      expect(times.timeOf(scanner.time)).toBe(T)
    }
  })
})
