import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createZone, isKnownTimeZone, LanesConfigError } from '@loglanes/core'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'

const HOUR = 3_600_000
const MINUTE = 60_000
const MAX_DATE_MS = 8.64e15
const at = (iso: string) => Date.parse(iso)

const referenceFormats = new Map<string, Intl.DateTimeFormat>()

/** Offset computed independently of zone.ts: Intl's wall-clock fields minus the instant. */
function referenceOffset(timeZone: string, t: number): number {
  let format = referenceFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    referenceFormats.set(timeZone, format)
  }
  const field = (parts: Intl.DateTimeFormatPart[], type: string) => parts.find((p) => p.type === type)?.value
  const parts = format.formatToParts(t)
  const yearOfEra = Number(field(parts, 'year'))
  const year = field(parts, 'era') === 'BC' ? 1 - yearOfEra : yearOfEra
  const wall = new Date(0)
  wall.setUTCFullYear(year, Number(field(parts, 'month')) - 1, Number(field(parts, 'day')))
  const ms = ((t % 1000) + 1000) % 1000
  wall.setUTCHours(
    Number(field(parts, 'hour')),
    Number(field(parts, 'minute')),
    Number(field(parts, 'second')),
    ms,
  )
  return wall.getTime() - t
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createZone offsets', () => {
  it('answers UTC with zero at any instant, in any case Intl accepts', () => {
    for (const name of ['UTC', 'utc', 'Etc/UTC']) {
      const zone = createZone(name)
      expect(zone.name).toBe(name)
      for (const t of [at('2026-01-15T12:00:00Z'), at('2026-07-15T12:00:00Z'), -MAX_DATE_MS, MAX_DATE_MS]) {
        expect(zone.offsetAt(t)).toBe(0)
      }
    }
  })

  it.each([
    ['Europe/Berlin', '2026-01-15T12:00:00Z', 1 * HOUR],
    ['Europe/Berlin', '2026-07-15T12:00:00Z', 2 * HOUR],
    ['America/New_York', '2026-01-15T12:00:00Z', -5 * HOUR],
    ['America/New_York', '2026-07-15T12:00:00Z', -4 * HOUR],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 5.5 * HOUR],
    ['Asia/Kathmandu', '2026-07-15T12:00:00Z', 5.75 * HOUR],
    // Lord Howe moves by 30 minutes: +11:00 in the southern summer, +10:30 in winter.
    ['Australia/Lord_Howe', '2026-01-15T12:00:00Z', 11 * HOUR],
    ['Australia/Lord_Howe', '2026-07-15T12:00:00Z', 10.5 * HOUR],
    // Local mean time before standard time: Berlin was +0:53:28, Monrovia -0:44:30 until 1972.
    ['Europe/Berlin', '1880-06-01T00:00:00Z', 53 * MINUTE + 28_000],
    ['Africa/Monrovia', '1971-06-01T00:00:00Z', -(44 * MINUTE + 30_000)],
    // Far future: the current rules are extrapolated.
    ['America/New_York', '2399-01-15T12:00:00Z', -5 * HOUR],
    ['America/New_York', '2399-07-15T12:00:00Z', -4 * HOUR],
  ])('%s at %s is %d ms', (name, iso, expected) => {
    expect(createZone(name).offsetAt(at(iso))).toBe(expected)
  })

  it('switches at the exact transition instant, in either order of asking', () => {
    const berlin = createZone('Europe/Berlin')
    const spring = at('2026-03-29T01:00:00Z')
    const fall = at('2026-10-25T01:00:00Z')
    expect(berlin.offsetAt(spring)).toBe(2 * HOUR)
    expect(berlin.offsetAt(spring - 1)).toBe(1 * HOUR)
    expect(berlin.offsetAt(fall - 1)).toBe(2 * HOUR)
    expect(berlin.offsetAt(fall)).toBe(1 * HOUR)

    const newYork = createZone('America/New_York')
    expect(newYork.offsetAt(at('2026-11-01T06:00:00Z') - 1)).toBe(-4 * HOUR)
    expect(newYork.offsetAt(at('2026-11-01T06:00:00Z'))).toBe(-5 * HOUR)
    expect(newYork.offsetAt(at('2026-03-08T06:59:59.999Z'))).toBe(-5 * HOUR)
    expect(newYork.offsetAt(at('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR)
  })

  it('does not throw at the limits of Date and answers unrepresentable times for now', () => {
    const berlin = createZone('Europe/Berlin')
    // +275760-09-13T00:00Z is in (extrapolated) summer time; -271821-04-20 in local mean time.
    expect(berlin.offsetAt(MAX_DATE_MS)).toBe(2 * HOUR)
    expect(berlin.offsetAt(-MAX_DATE_MS)).toBe(53 * MINUTE + 28_000)
    for (const t of [Number.NaN, Number.POSITIVE_INFINITY, -9e15]) {
      expect(berlin.offsetAt(t)).toBe(berlin.offsetAt(Date.now()))
    }
  })

  it('matches Intl wall-clock fields for random instants over the whole Date range', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'Pacific/Apia',
      'Africa/Casablanca',
      'Europe/Dublin',
      'America/Sao_Paulo',
      'Pacific/Chatham',
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.oneof(
          // Where the transitions are...
          fc.integer({ min: at('1850-01-01T00:00:00Z'), max: at('2150-01-01T00:00:00Z') }),
          // ...and everywhere else; the reference needs the wall clock to fit in a Date too.
          fc.integer({ min: -MAX_DATE_MS + 86_400_000, max: MAX_DATE_MS - 86_400_000 }),
        ),
        (name, t) => {
          expect(createZone(name).offsetAt(t)).toBe(referenceOffset(name, t))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('stays right for a sequence of lookups that moves around transitions', () => {
    // One zone asked in a random order exercises the span cache; the reference has none.
    const zone = createZone('America/New_York')
    const near = [at('2026-03-08T07:00:00Z'), at('2026-11-01T06:00:00Z'), at('1918-03-31T07:00:00Z')]
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...near), fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 })),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        (lookups) => {
          for (const [base, delta] of lookups) {
            expect(zone.offsetAt(base + delta)).toBe(referenceOffset('America/New_York', base + delta))
          }
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe('createZone abbreviations', () => {
  it.each([
    ['America/New_York', '2026-01-15T12:00:00Z', 'EST'],
    ['America/New_York', '2026-07-15T12:00:00Z', 'EDT'],
    ['Europe/Berlin', '2026-01-15T12:00:00Z', 'GMT+1'],
    ['Europe/Berlin', '2026-07-15T12:00:00Z', 'GMT+2'],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 'GMT+5:30'],
    ['UTC', '2026-07-15T12:00:00Z', 'UTC'],
  ])('%s at %s is %s', (name, iso, expected) => {
    expect(createZone(name).abbreviationAt(at(iso))).toBe(expected)
  })

  it('changes at the exact transition instant', () => {
    const newYork = createZone('America/New_York')
    expect(newYork.abbreviationAt(at('2026-03-08T07:00:00Z'))).toBe('EDT')
    expect(newYork.abbreviationAt(at('2026-03-08T07:00:00Z') - 1)).toBe('EST')
  })
})

describe('zone validation', () => {
  it('rejects a zone Intl does not know with a LanesConfigError naming "timezone"', () => {
    for (const name of ['Mars/Olympus', '', 'Local', 'Europe/Berlín']) {
      let caught: unknown
      try {
        createZone(name)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(LanesConfigError)
      expect((caught as LanesConfigError).option).toBe('timezone')
      expect((caught as Error).message).toMatch(
        new RegExp(
          `^loglanes: option "timezone" must be 'local', 'UTC' or an IANA time zone .*; got '${name}'`,
        ),
      )
    }
  })

  it('isKnownTimeZone accepts what createZone accepts', () => {
    for (const name of ['local', 'UTC', 'utc', 'Etc/UTC', 'Europe/Berlin', 'europe/berlin', 'Asia/Kolkata']) {
      expect(isKnownTimeZone(name)).toBe(true)
    }
    for (const name of ['Mars/Olympus', '', 'Local', 'LOCAL', 'Europe/Berlin ']) {
      expect(isKnownTimeZone(name)).toBe(false)
    }
    expect(isKnownTimeZone(42 as unknown as string)).toBe(false)
  })
})

describe("the 'local' zone", () => {
  it('agrees with Date#getTimezoneOffset in this process', () => {
    const local = createZone('local')
    expect(local.name).toBe('local')
    for (const iso of [
      '2026-01-15T12:00:00Z',
      '2026-07-15T12:00:00Z',
      '1950-06-01T00:00:00Z',
      '2150-12-01T00:00:00Z',
    ]) {
      const t = at(iso)
      // 0 - x, not -x: a zero offset must compare equal to +0.
      expect(local.offsetAt(t)).toBe(0 - new Date(t).getTimezoneOffset() * MINUTE)
    }
  })

  it.each([
    ['America/New_York', [-5 * HOUR, -4 * HOUR], ['EST', 'EDT']],
    ['Asia/Kolkata', [5.5 * HOUR, 5.5 * HOUR], ['GMT+5:30', 'GMT+5:30']],
    ['Europe/Berlin', [1 * HOUR, 2 * HOUR], ['GMT+1', 'GMT+2']],
  ])('follows TZ=%s in a child process', (tz, offsets, abbreviations) => {
    const zoneModule = fileURLToPath(new URL('../../packages/core/dist/zone.js', import.meta.url))
    const script = `
      const { createZone } = await import(${JSON.stringify(`file://${zoneModule}`)})
      const zone = createZone('local')
      const instants = [Date.parse('2026-01-15T12:00:00Z'), Date.parse('2026-07-15T12:00:00Z')]
      console.log(JSON.stringify(instants.map((t) => [zone.offsetAt(t), zone.abbreviationAt(t)])))
    `
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    })
    expect(JSON.parse(output)).toEqual([
      [offsets[0], abbreviations[0]],
      [offsets[1], abbreviations[1]],
    ])
  })
})

describe('zone cache', () => {
  it('answers 100,000 lookups inside one offset span without calling Intl', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts')
    const zone = createZone('Europe/Berlin')
    const start = at('2026-11-20T13:00:00Z')
    expect(zone.offsetAt(start)).toBe(HOUR)
    expect(zone.abbreviationAt(start)).toBe('GMT+1')
    // The spy does see the misses, so the zero below is meaningful.
    expect(spy).toHaveBeenCalled()
    spy.mockClear()
    let sum = 0
    for (let i = 0; i < 100_000; i++) {
      sum += zone.offsetAt(start + i * 100)
      if (zone.abbreviationAt(start + i * 100) !== 'GMT+1') sum = Number.NaN
    }
    expect(spy).not.toHaveBeenCalled()
    expect(sum).toBe(100_000 * HOUR)
  })

  it('keeps two spans, so lookups alternating across a transition do not call Intl', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts')
    const zone = createZone('America/New_York')
    const fallBack = at('2026-11-01T06:00:00Z')
    zone.offsetAt(fallBack - 1)
    zone.offsetAt(fallBack)
    expect(spy).toHaveBeenCalled()
    spy.mockClear()
    let wrong = 0
    for (let i = 0; i < 100_000; i++) {
      if (zone.offsetAt(fallBack - 1 - (i % 1000)) !== -4 * HOUR) wrong++
      if (zone.offsetAt(fallBack + (i % 1000)) !== -5 * HOUR) wrong++
    }
    expect(wrong).toBe(0)
    expect(spy).not.toHaveBeenCalled()
  })
})
