import { createIntervalClock, createZone, LanesConfigError, parseInterval } from '@loglanes/core'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const at = (iso: string) => Date.parse(iso)

const INTERVALS = ['1m', '5m', '15m', '30m', '1h', '2h', '3h', '6h', '8h', '12h', '24h'] as const

function clockFor(interval: string, timezone: string) {
  return createIntervalClock(parseInterval(interval), createZone(timezone))
}

const referenceFormats = new Map<string, Intl.DateTimeFormat>()

/** The folder name computed independently of intervalClock.ts, from Intl's wall-clock fields. */
function referenceName(timeZone: string, minutes: number, t: number): string {
  let format = referenceFormats.get(timeZone)
  if (!format) {
    const options = {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    } as const
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...options })
    referenceFormats.set(timeZone, format)
  }
  const parts = format.formatToParts(t)
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value)
  const pad = (n: number) => String(n).padStart(2, '0')
  const date = `${field('year')}-${pad(field('month'))}-${pad(field('day'))}`
  if (minutes === 1440) return date
  const minuteOfDay = field('hour') * 60 + field('minute')
  const floored = minuteOfDay - (minuteOfDay % minutes)
  return `${date}__${pad(Math.floor(floored / 60))}-${pad(floored % 60)}`
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('parseInterval', () => {
  it.each([
    ['1m', 1],
    ['5m', 5],
    ['15m', 15],
    ['30m', 30],
    ['60m', 60],
    ['90m', 90],
    ['1440m', 1440],
    ['1h', 60],
    ['2h', 120],
    ['3h', 180],
    ['4h', 240],
    ['6h', 360],
    ['8h', 480],
    ['12h', 720],
    ['24h', 1440],
  ])('accepts %s as %d minutes', (text, minutes) => {
    expect(parseInterval(text)).toBe(minutes)
  })

  it("accepts 'none' as null", () => {
    expect(parseInterval('none')).toBeNull()
  })

  it.each([
    ['7m', "'7m'"],
    ['0m', "'0m'"],
    ['25h', "'25h'"],
    ['48h', "'48h'"],
    ['90s', "'90s'"],
    ['1d', "'1d'"],
    ['', "''"],
    [5, '5'],
    ['-1h', "'-1h'"],
    ['+1h', "'+1h'"],
    ['1.5h', "'1.5h'"],
    ['05m', "'05m'"],
    ['1H', "'1H'"],
    [' 1h', "' 1h'"],
    ['NONE', "'NONE'"],
    ['7h', "'7h'"],
    ['2880m', "'2880m'"],
    [null, 'null'],
    [undefined, 'undefined'],
  ])('rejects %j with the exact message', (text, shown) => {
    let caught: unknown
    try {
      parseInterval(text)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(LanesConfigError)
    expect((caught as LanesConfigError).option).toBe('interval')
    expect((caught as Error).message).toBe(
      `loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got ${shown}`,
    )
  })

  it('createIntervalClock rejects minutes that do not divide a day', () => {
    expect(() => createIntervalClock(7, createZone('UTC'))).toThrow(
      `loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got 7`,
    )
    expect(() => createIntervalClock(0, createZone('UTC'))).toThrow(LanesConfigError)
    expect(() => createIntervalClock(2880, createZone('UTC'))).toThrow(LanesConfigError)
  })
})

describe('folder names on an ordinary day', () => {
  // A record at 14:47:31.250 wall time on 2026-11-20, and the interval it belongs to (wall times).
  const cases = [
    ['1m', '2026-11-20__14-47', '2026-11-20T14:47', '2026-11-20T14:48'],
    ['5m', '2026-11-20__14-45', '2026-11-20T14:45', '2026-11-20T14:50'],
    ['15m', '2026-11-20__14-45', '2026-11-20T14:45', '2026-11-20T15:00'],
    ['30m', '2026-11-20__14-30', '2026-11-20T14:30', '2026-11-20T15:00'],
    ['1h', '2026-11-20__14-00', '2026-11-20T14:00', '2026-11-20T15:00'],
    ['2h', '2026-11-20__14-00', '2026-11-20T14:00', '2026-11-20T16:00'],
    ['3h', '2026-11-20__12-00', '2026-11-20T12:00', '2026-11-20T15:00'],
    ['6h', '2026-11-20__12-00', '2026-11-20T12:00', '2026-11-20T18:00'],
    ['8h', '2026-11-20__08-00', '2026-11-20T08:00', '2026-11-20T16:00'],
    ['12h', '2026-11-20__12-00', '2026-11-20T12:00', '2026-11-21T00:00'],
    ['24h', '2026-11-20', '2026-11-20T00:00', '2026-11-21T00:00'],
  ] as const
  const zones = [
    ['UTC', 'Z'],
    ['Europe/Berlin', '+01:00'],
    ['America/New_York', '-05:00'],
  ] as const

  for (const [timezone, offset] of zones) {
    it.each(cases)(`${timezone} %s`, (interval, name, start, end) => {
      const clock = clockFor(interval, timezone)
      const interval0 = clock.intervalAt(at(`2026-11-20T14:47:31.250${offset}`))
      expect(interval0).toEqual({ name, start: at(`${start}:00${offset}`), end: at(`${end}:00${offset}`) })
      expect(clock.folderAt(at(`2026-11-20T14:47:31.250${offset}`))).toBe(name)
    })

    it(`${timezone} none`, () => {
      const clock = clockFor('none', timezone)
      expect(clock.minutes).toBeNull()
      expect(clock.intervalAt(at('2026-11-20T14:47:31.250Z'))).toEqual({
        name: '',
        start: Number.NEGATIVE_INFINITY,
        end: Number.POSITIVE_INFINITY,
      })
      expect(clock.folderAt(at('2026-11-20T14:47:31.250Z'))).toBe('')
    })
  }

  it('reports its length in minutes', () => {
    expect(clockFor('1h', 'UTC').minutes).toBe(60)
    expect(clockFor('24h', 'UTC').minutes).toBe(1440)
  })
})

describe('folder names on the DST days of 2026', () => {
  // Per day: [interval, record time, name suffix, interval start, interval end], wall times
  // with explicit offsets on that day ('+1 ' = the next day).
  type Row = readonly [string, string, string, string, string]
  const days: ReadonlyArray<readonly [string, string, readonly Row[]]> = [
    // New York falls back at 02:00 EDT (06:00Z): 01:xx happens twice.
    [
      'America/New_York',
      '2026-11-01',
      [
        ['24h', '12:00:00-05:00', '', '00:00-04:00', '+1 00:00-05:00'],
        ['12h', '11:00:00-05:00', '__00-00', '00:00-04:00', '12:00-05:00'],
        ['8h', '07:59:59.999-05:00', '__00-00', '00:00-04:00', '08:00-05:00'],
        ['6h', '05:59:59.999-05:00', '__00-00', '00:00-04:00', '06:00-05:00'],
        ['3h', '02:30:00-05:00', '__00-00', '00:00-04:00', '03:00-05:00'],
        ['2h', '01:30:00-05:00', '__00-00', '00:00-04:00', '02:00-05:00'],
        ['1h', '00:59:59.999-04:00', '__00-00', '00:00-04:00', '01:00-04:00'],
        ['1h', '01:30:00-04:00', '__01-00', '01:00-04:00', '02:00-05:00'],
        ['1h', '01:30:00-05:00', '__01-00', '01:00-04:00', '02:00-05:00'],
        ['1h', '02:00:00-05:00', '__02-00', '02:00-05:00', '03:00-05:00'],
        ['30m', '01:15:00-04:00', '__01-00', '01:00-04:00', '01:30-04:00'],
        ['30m', '01:45:00-04:00', '__01-30', '01:30-04:00', '01:00-05:00'],
        ['30m', '01:15:00-05:00', '__01-00', '01:00-05:00', '01:30-05:00'],
        ['30m', '01:45:00-05:00', '__01-30', '01:30-05:00', '02:00-05:00'],
        ['15m', '01:50:00-05:00', '__01-45', '01:45-05:00', '02:00-05:00'],
        ['5m', '01:50:00-05:00', '__01-50', '01:50-05:00', '01:55-05:00'],
        ['1m', '01:59:59.999-04:00', '__01-59', '01:59-04:00', '01:00-05:00'],
      ],
    ],
    // New York springs forward at 02:00 EST (07:00Z): 02:xx never happens.
    [
      'America/New_York',
      '2026-03-08',
      [
        ['24h', '12:00:00-04:00', '', '00:00-05:00', '+1 00:00-04:00'],
        ['12h', '11:00:00-04:00', '__00-00', '00:00-05:00', '12:00-04:00'],
        ['8h', '01:00:00-05:00', '__00-00', '00:00-05:00', '08:00-04:00'],
        ['6h', '05:00:00-04:00', '__00-00', '00:00-05:00', '06:00-04:00'],
        ['3h', '01:30:00-05:00', '__00-00', '00:00-05:00', '03:00-04:00'],
        ['2h', '03:30:00-04:00', '__02-00', '03:00-04:00', '04:00-04:00'],
        ['1h', '01:59:59.999-05:00', '__01-00', '01:00-05:00', '03:00-04:00'],
        ['1h', '03:00:00.000-04:00', '__03-00', '03:00-04:00', '04:00-04:00'],
        ['30m', '01:45:00-05:00', '__01-30', '01:30-05:00', '03:00-04:00'],
        ['15m', '03:00:00-04:00', '__03-00', '03:00-04:00', '03:15-04:00'],
        ['5m', '01:59:00-05:00', '__01-55', '01:55-05:00', '03:00-04:00'],
        ['1m', '03:00:30-04:00', '__03-00', '03:00-04:00', '03:01-04:00'],
      ],
    ],
    // Berlin springs forward at 02:00 CET (01:00Z).
    [
      'Europe/Berlin',
      '2026-03-29',
      [
        ['24h', '12:00:00+02:00', '', '00:00+01:00', '+1 00:00+02:00'],
        ['12h', '11:59:59.999+02:00', '__00-00', '00:00+01:00', '12:00+02:00'],
        ['8h', '07:59:59.999+02:00', '__00-00', '00:00+01:00', '08:00+02:00'],
        ['6h', '01:00:00+01:00', '__00-00', '00:00+01:00', '06:00+02:00'],
        ['3h', '03:00:00+02:00', '__03-00', '03:00+02:00', '06:00+02:00'],
        ['2h', '03:30:00+02:00', '__02-00', '03:00+02:00', '04:00+02:00'],
        ['1h', '01:59:59.999+01:00', '__01-00', '01:00+01:00', '03:00+02:00'],
        ['1h', '03:00:00.000+02:00', '__03-00', '03:00+02:00', '04:00+02:00'],
        ['30m', '03:29:00+02:00', '__03-00', '03:00+02:00', '03:30+02:00'],
        ['15m', '01:59:59.999+01:00', '__01-45', '01:45+01:00', '03:00+02:00'],
        ['5m', '03:04:00+02:00', '__03-00', '03:00+02:00', '03:05+02:00'],
        ['1m', '01:59:59.999+01:00', '__01-59', '01:59+01:00', '03:00+02:00'],
      ],
    ],
    // Berlin falls back at 03:00 CEST (01:00Z): 02:xx happens twice.
    [
      'Europe/Berlin',
      '2026-10-25',
      [
        ['24h', '12:00:00+01:00', '', '00:00+02:00', '+1 00:00+01:00'],
        ['12h', '11:59:59.999+01:00', '__00-00', '00:00+02:00', '12:00+01:00'],
        ['8h', '02:00:00+01:00', '__00-00', '00:00+02:00', '08:00+01:00'],
        ['6h', '02:15:00+01:00', '__00-00', '00:00+02:00', '06:00+01:00'],
        ['3h', '02:15:00+02:00', '__00-00', '00:00+02:00', '03:00+01:00'],
        ['2h', '02:15:00+02:00', '__02-00', '02:00+02:00', '04:00+01:00'],
        ['1h', '02:30:00+02:00', '__02-00', '02:00+02:00', '03:00+01:00'],
        ['1h', '02:30:00+01:00', '__02-00', '02:00+02:00', '03:00+01:00'],
        ['30m', '02:45:00+02:00', '__02-30', '02:30+02:00', '02:00+01:00'],
        ['30m', '02:15:00+01:00', '__02-00', '02:00+01:00', '02:30+01:00'],
        ['15m', '02:50:00+01:00', '__02-45', '02:45+01:00', '03:00+01:00'],
        ['5m', '02:59:00+02:00', '__02-55', '02:55+02:00', '02:00+01:00'],
        ['1m', '02:00:00+01:00', '__02-00', '02:00+01:00', '02:01+01:00'],
      ],
    ],
  ]

  /** An instant from a wall time on `date`, or on the next day when written '+1 HH:MM...'. */
  function onDay(date: string, wall: string): number {
    if (!wall.startsWith('+1 ')) return at(`${date}T${wall}`)
    const next = new Date(at(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10)
    return at(`${next}T${wall.slice(3)}`)
  }

  for (const [timezone, date, rows] of days) {
    it.each(rows)(`${timezone} ${date} %s at %s is %s`, (interval, time, suffix, start, end) => {
      expect(clockFor(interval, timezone).intervalAt(onDay(date, time))).toEqual({
        name: date + suffix,
        start: onDay(date, start),
        end: onDay(date, end),
      })
    })
  }

  it.each([
    ['America/New_York', '2026-11-01T12:00:00-05:00', 25],
    ['America/New_York', '2026-03-08T12:00:00-04:00', 23],
    ['Europe/Berlin', '2026-10-25T12:00:00+01:00', 25],
    ['Europe/Berlin', '2026-03-29T12:00:00+02:00', 23],
    ['Europe/Berlin', '2026-11-20T12:00:00+01:00', 24],
    ['Australia/Lord_Howe', '2026-04-05T12:00:00+10:30', 24.5],
    ['Australia/Lord_Howe', '2026-10-04T12:00:00+11:00', 23.5],
  ])('the %s day of %s lasts %d hours', (timezone, time, hours) => {
    const day = clockFor('24h', timezone).intervalAt(at(time))
    expect((day.end - day.start) / HOUR).toBe(hours)
  })

  it.each([
    ['Europe/Berlin', '2026-03-29T00:00:00+01:00', '2026-03-29__02-00', 23],
    ['America/New_York', '2026-03-08T00:00:00-05:00', '2026-03-08__02-00', 23],
    ['Europe/Berlin', '2026-10-25T00:00:00+02:00', undefined, 24],
    ['America/New_York', '2026-11-01T00:00:00-04:00', undefined, 24],
  ])('%s 1h folders of the day from %s: no %s, %d names', (timezone, dayStart, missing, count) => {
    const clock = clockFor('1h', timezone)
    const day = clockFor('24h', timezone).intervalAt(at(dayStart))
    const names = new Set<string>()
    for (let t = day.start; t < day.end; t += MINUTE) names.add(clock.folderAt(t))
    expect(names.size).toBe(count)
    if (missing) expect(names.has(missing)).toBe(false)
    const hours = [...names].map((name) => name.slice(-5, -3))
    expect(hours).toEqual([...new Set(hours)].sort())
  })

  it('matches a minute-by-minute reference for every interval on the DST days', () => {
    // Every boundary and transition in these zones falls on a whole minute, so scanning
    // minutes finds each run's exact bounds.
    const days = [
      ['America/New_York', '2026-11-01T00:00:00Z'],
      ['America/New_York', '2026-03-08T00:00:00Z'],
      ['Europe/Berlin', '2026-10-25T00:00:00Z'],
      ['Europe/Berlin', '2026-03-29T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-05T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-04T00:00:00Z'],
      ['UTC', '2026-03-29T00:00:00Z'],
    ] as const
    const mismatches: string[] = []
    for (const [timezone, iso] of days) {
      const first = at(iso) - DAY
      const count = 3 * 1440
      for (const interval of INTERVALS) {
        const minutes = parseInterval(interval)!
        const names = Array.from({ length: count }, (_, i) =>
          referenceName(timezone, minutes, first + i * MINUTE),
        )
        const clock = clockFor(interval, timezone)
        let runStart = 0
        for (let i = 0; i < count; i++) {
          if (names[i] !== names[i - 1]) runStart = i
          if (i < 1440 || i >= 2 * 1440) continue
          let runEnd = i + 1
          while (names[runEnd] === names[i]) runEnd++
          const expected = { name: names[i], start: first + runStart * MINUTE, end: first + runEnd * MINUTE }
          for (const t of [first + i * MINUTE, first + i * MINUTE + MINUTE - 1]) {
            const actual = clock.intervalAt(t)
            if (
              actual.name !== expected.name ||
              actual.start !== expected.start ||
              actual.end !== expected.end
            ) {
              mismatches.push(
                `${timezone} ${interval} ${new Date(t).toISOString()}: ${JSON.stringify(actual)}`,
              )
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([])
  })
})

describe('the record time decides the folder', () => {
  it.each([
    ['UTC', 'Z'],
    ['Europe/Berlin', '+01:00'],
    ['America/New_York', '-05:00'],
  ])('%s: 13:59:59.999 is __13-00 even when asked after 14:00:00.010', (timezone, offset) => {
    const clock = clockFor('1h', timezone)
    expect(clock.folderAt(at(`2026-11-20T14:00:00.010${offset}`))).toBe('2026-11-20__14-00')
    expect(clock.folderAt(at(`2026-11-20T13:59:59.999${offset}`))).toBe('2026-11-20__13-00')
    expect(clock.intervalAt(at(`2026-11-20T13:59:59.999${offset}`))).toEqual({
      name: '2026-11-20__13-00',
      start: at(`2026-11-20T13:00:00${offset}`),
      end: at(`2026-11-20T14:00:00${offset}`),
    })
    expect(clock.folderAt(at(`2026-11-20T14:00:00.010${offset}`))).toBe('2026-11-20__14-00')
    const twoHours = clockFor('2h', timezone)
    expect(twoHours.folderAt(at(`2026-11-20T14:00:00.010${offset}`))).toBe('2026-11-20__14-00')
    expect(twoHours.folderAt(at(`2026-11-20T13:59:59.999${offset}`))).toBe('2026-11-20__12-00')
  })

  it('handles fractional record times like their millisecond', () => {
    const clock = clockFor('1h', 'UTC')
    expect(clock.folderAt(at('2026-11-20T13:59:59.999Z') + 0.75)).toBe('2026-11-20__13-00')
    expect(clock.folderAt(at('2026-11-20T14:00:00.000Z') + 0.25)).toBe('2026-11-20__14-00')
  })

  it('answers times a Date cannot hold with the interval of now, without throwing', () => {
    const clock = clockFor('24h', 'UTC')
    for (const t of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 9e15, -9e15]) {
      const before = Date.now()
      const interval = clock.intervalAt(t)
      const after = Date.now()
      expect(interval.start).toBeLessThanOrEqual(before)
      expect(interval.end).toBeGreaterThan(after)
    }
  })

  it('agrees with the reference for random zones, intervals and instants', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'Pacific/Apia',
      'Africa/Casablanca',
      'America/St_Johns',
      'Europe/Dublin',
      'America/Sao_Paulo',
      'Asia/Tehran',
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...INTERVALS),
        fc.integer({ min: at('1900-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z') }),
        (timezone, interval, t) => {
          const minutes = parseInterval(interval)!
          const name = (instant: number) => referenceName(timezone, minutes, instant)
          const found = clockFor(interval, timezone).intervalAt(t)
          expect(found.name).toBe(name(t))
          expect(found.start).toBeLessThanOrEqual(t)
          expect(found.end).toBeGreaterThan(t)
          expect(name(found.start)).toBe(found.name)
          expect(name(found.end - 1)).toBe(found.name)
          expect(name(found.start - 1)).not.toBe(found.name)
          expect(name(found.end)).not.toBe(found.name)
          for (const fraction of [0.25, 0.5, 0.75]) {
            expect(name(Math.floor(found.start + (found.end - found.start) * fraction))).toBe(found.name)
          }
        },
      ),
      { numRuns: 400 },
    )
  })
})

describe('interval cache', () => {
  it('answers 100,000 in-interval lookups without calling Intl, returning the same object', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts')
    const clock = clockFor('1h', 'Europe/Berlin')
    const start = at('2026-11-20T14:00:00+01:00')
    const first = clock.intervalAt(start)
    expect(first.name).toBe('2026-11-20__14-00')
    // The spy does see the misses, so the zero below is meaningful.
    expect(spy).toHaveBeenCalled()
    spy.mockClear()
    let same = 0
    for (let i = 0; i < 100_000; i++) {
      if (clock.intervalAt(start + i * 10) === first) same++
      if (clock.folderAt(start + i * 10) === '2026-11-20__14-00') same++
    }
    expect(spy).not.toHaveBeenCalled()
    expect(same).toBe(200_000)
  })

  it('keeps the last two intervals, so records interleaved across a boundary do not call Intl', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts')
    const clock = clockFor('1h', 'America/New_York')
    const boundary = at('2026-11-20T14:00:00-05:00')
    clock.intervalAt(boundary - 1)
    clock.intervalAt(boundary)
    spy.mockClear()
    let wrong = 0
    for (let i = 0; i < 100_000; i++) {
      if (clock.folderAt(boundary - 1 - (i % 500)) !== '2026-11-20__13-00') wrong++
      if (clock.folderAt(boundary + (i % 500)) !== '2026-11-20__14-00') wrong++
    }
    expect(wrong).toBe(0)
    expect(spy).not.toHaveBeenCalled()
  })
})
