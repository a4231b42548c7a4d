import {
  createIntervalClock,
  createZone,
  formatFolderName,
  parseFolderName,
  parseInterval,
} from '@loglanes/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const at = (iso: string) => Date.parse(iso)
const INTERVALS = ['1m', '5m', '15m', '30m', '1h', '2h', '3h', '6h', '8h', '12h', '24h'] as const

function clockFor(interval: string, timezone: string) {
  return createIntervalClock(parseInterval(interval), createZone(timezone))
}

describe('folder names', () => {
  it('formats and parses back the wall-clock start of an interval', () => {
    expect(formatFolderName(Date.UTC(2026, 10, 20, 14, 0), 60)).toBe('2026-11-20__14-00')
    expect(formatFolderName(Date.UTC(2026, 10, 20), 1440)).toBe('2026-11-20')
    expect(parseFolderName('2026-11-20__14-00', 60)).toBe(Date.UTC(2026, 10, 20, 14, 0))
    expect(parseFolderName('2026-11-20__14-30', 30)).toBe(Date.UTC(2026, 10, 20, 14, 30))
    expect(parseFolderName('2026-11-20', 1440)).toBe(Date.UTC(2026, 10, 20))
    expect(parseFolderName('0099-01-01', 1440)).toBe(new Date('0099-01-01T00:00:00Z').getTime())
  })

  it.each([
    ['2026-11-20__14-30', 60, 'another interval (30m) aligned name'],
    ['2026-11-20__14-05', 15, 'a time off the interval grid'],
    ['2026-11-20', 60, 'the day form for a shorter interval'],
    ['2026-11-20__00-00', 1440, 'the time form for a whole day'],
    ['2026-02-30', 1440, 'a day that does not exist'],
    ['2026-13-01', 1440, 'a month that does not exist'],
    ['2026-11-20__24-00', 60, 'hour 24'],
    ['2026-11-20__14-60', 1, 'minute 60'],
    ['2026-1-20', 1440, 'a short month'],
    ['02026-11-20', 1440, 'a padded year'],
    ['2026-11-20__14-00.log', 60, 'a file name'],
    [' 2026-11-20', 1440, 'a leading space'],
    ['current', 60, 'a link name'],
    ['.loglanes.lock', 60, 'a dot-name'],
  ])('does not take %s for a folder of %i minutes (%s)', (name, minutes) => {
    expect(parseFolderName(name, minutes)).toBeUndefined()
  })

  it('round-trips every aligned wall time of every interval', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INTERVALS),
        fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }),
        (interval, t) => {
          const minutes = parseInterval(interval)!
          const length = minutes * 60_000
          const wallStart = Math.floor(t / length) * length
          const name = formatFolderName(wallStart, minutes)
          expect(parseFolderName(name, minutes)).toBe(wallStart)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('the interval of a folder name', () => {
  it('is the interval of the clock on an ordinary day', () => {
    const clock = clockFor('1h', 'Europe/Berlin')
    expect(clock.intervalNamed('2026-11-20__14-00')).toEqual({
      name: '2026-11-20__14-00',
      start: at('2026-11-20T13:00Z'),
      end: at('2026-11-20T14:00Z'),
    })
    expect(clockFor('24h', 'UTC').intervalNamed('2026-11-20')).toEqual({
      name: '2026-11-20',
      start: at('2026-11-20T00:00Z'),
      end: at('2026-11-21T00:00Z'),
    })
  })

  it('spans both runs of a name the DST fall-back repeats, and ends at the latest', () => {
    // New York falls back at 02:00 EDT (06:00Z): wall 01:00-01:30 happens at 05:00Z and again at 06:00Z.
    const halfHours = clockFor('30m', 'America/New_York')
    expect(halfHours.intervalNamed('2026-11-01__01-00')).toEqual({
      name: '2026-11-01__01-00',
      start: at('2026-11-01T05:00Z'),
      end: at('2026-11-01T06:30Z'),
    })
    expect(halfHours.intervalNamed('2026-11-01__01-30')!.end).toBe(at('2026-11-01T07:00Z'))
    expect(clockFor('1h', 'America/New_York').intervalNamed('2026-11-01__01-00')).toEqual({
      name: '2026-11-01__01-00',
      start: at('2026-11-01T05:00Z'),
      end: at('2026-11-01T07:00Z'),
    })
    expect(clockFor('24h', 'America/New_York').intervalNamed('2026-11-01')).toEqual({
      name: '2026-11-01',
      start: at('2026-11-01T04:00Z'),
      end: at('2026-11-02T05:00Z'),
    })
  })

  it('does not exist inside a spring-forward gap', () => {
    // New York springs forward at 02:00 EST (07:00Z): 02:xx never happens.
    const hours = clockFor('1h', 'America/New_York')
    expect(hours.intervalNamed('2026-03-08__02-00')).toBeUndefined()
    expect(clockFor('30m', 'America/New_York').intervalNamed('2026-03-08__02-30')).toBeUndefined()
    expect(hours.intervalNamed('2026-03-08__03-00')).toEqual({
      name: '2026-03-08__03-00',
      start: at('2026-03-08T07:00Z'),
      end: at('2026-03-08T08:00Z'),
    })
    expect(clockFor('24h', 'America/New_York').intervalNamed('2026-03-08')!.end).toBe(at('2026-03-09T04:00Z'))
  })

  it("is undefined for other intervals' names and for interval 'none'", () => {
    expect(clockFor('1h', 'UTC').intervalNamed('2026-11-20__14-30')).toBeUndefined()
    expect(clockFor('1h', 'UTC').intervalNamed('2026-11-20')).toBeUndefined()
    expect(createIntervalClock(null, createZone('UTC')).intervalNamed('2026-11-20')).toBeUndefined()
  })

  it('covers exactly the instants the clock gives that name, for random zones, intervals and instants', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'America/St_Johns',
      'Pacific/Chatham',
    ]
    const clocks = new Map<string, ReturnType<typeof clockFor>>()
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...INTERVALS),
        fc.integer({ min: at('1990-01-01T00:00Z'), max: at('2040-01-01T00:00Z') }),
        (zone, interval, t) => {
          const key = `${zone} ${interval}`
          let clock = clocks.get(key)
          if (clock === undefined) {
            clock = clockFor(interval, zone)
            clocks.set(key, clock)
          }
          const { name, start, end } = clock.intervalAt(t)
          const named = clock.intervalNamed(name)!
          expect(named.name).toBe(name)
          expect(named.start).toBeLessThanOrEqual(start)
          expect(named.end).toBeGreaterThanOrEqual(end)
          // Its bounds are the first and the last instant the clock names so.
          expect(clock.folderAt(named.start)).toBe(name)
          expect(clock.folderAt(named.start - 1)).not.toBe(name)
          expect(clock.folderAt(named.end - 1)).toBe(name)
          expect(clock.folderAt(named.end)).not.toBe(name)
        },
      ),
      { numRuns: 1500 },
    )
  })
})
