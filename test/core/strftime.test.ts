import { compileStrftime, createZone, DEFAULT_TIMESTAMP_FORMAT, LanesConfigError } from '@loglanes/core'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'

const at = (iso: string) => Date.parse(iso)
const render = (format: string, timezone: string, t: number) =>
  compileStrftime(format, createZone(timezone))(t)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('strftime directives', () => {
  // Each row: directive, then its rendering of
  //  - UTC at 2026-11-20T14:03:07.045Z (a Friday afternoon),
  //  - Europe/Berlin at the same wall time, 2026-11-20T14:03:07.045+01:00,
  //  - America/New_York at 2026-11-20T03:03:07.045Z, which is still Thursday evening there.
  const table = [
    ['%Y', '2026', '2026', '2026'],
    ['%m', '11', '11', '11'],
    ['%d', '20', '20', '19'],
    ['%H', '14', '14', '22'],
    ['%M', '03', '03', '03'],
    ['%S', '07', '07', '07'],
    ['%L', '045', '045', '045'],
    ['%f', '045000', '045000', '045000'],
    ['%z', '+0000', '+0100', '-0500'],
    ['%:z', '+00:00', '+01:00', '-05:00'],
    ['%Z', 'UTC', 'GMT+1', 'EST'],
    ['%j', '324', '324', '323'],
    ['%a', 'Fri', 'Fri', 'Thu'],
    ['%A', 'Friday', 'Friday', 'Thursday'],
    ['%b', 'Nov', 'Nov', 'Nov'],
    ['%B', 'November', 'November', 'November'],
    ['%p', 'PM', 'PM', 'PM'],
    ['%I', '02', '02', '10'],
    ['%y', '26', '26', '26'],
    ['%e', '20', '20', '19'],
    ['%F', '2026-11-20', '2026-11-20', '2026-11-19'],
    ['%T', '14:03:07', '14:03:07', '22:03:07'],
    ['%s', '1795183387', '1795179787', '1795143787'],
    ['%u', '5', '5', '4'],
    ['%%', '%', '%', '%'],
  ] as const

  it.each(table)('%s', (directive, utc, berlin, newYork) => {
    expect(render(directive, 'UTC', at('2026-11-20T14:03:07.045Z'))).toBe(utc)
    expect(render(directive, 'Europe/Berlin', at('2026-11-20T14:03:07.045+01:00'))).toBe(berlin)
    expect(render(directive, 'America/New_York', at('2026-11-20T03:03:07.045Z'))).toBe(newYork)
  })

  it('pads single digits: a Saturday morning in early March', () => {
    const t = at('2005-03-05T00:09:02.007Z')
    expect(render('%Y|%m|%d|%e|%H|%I|%p|%M|%S|%L|%f|%j|%y|%a|%A|%b|%B|%u|%s', 'UTC', t)).toBe(
      '2005|03|05| 5|00|12|AM|09|02|007|007000|064|05|Sat|Saturday|Mar|March|6|1109981342',
    )
  })

  it('numbers Sunday 7 and noon 12 PM', () => {
    expect(render('%a %u %I %p', 'UTC', at('2026-03-08T12:30:00Z'))).toBe('Sun 7 12 PM')
    expect(render('%a %u %I %p', 'UTC', at('2026-03-09T11:59:59Z'))).toBe('Mon 1 11 AM')
  })

  it('counts days of the year across leap years', () => {
    expect(render('%j', 'UTC', at('2024-12-31T12:00:00Z'))).toBe('366')
    expect(render('%j', 'UTC', at('2025-12-31T12:00:00Z'))).toBe('365')
    expect(render('%j', 'UTC', at('2026-01-01T00:00:00Z'))).toBe('001')
    expect(render('%j', 'UTC', at('2000-03-01T00:00:00Z'))).toBe('061')
    expect(render('%j', 'UTC', at('1900-03-01T00:00:00Z'))).toBe('060')
    // Years 0–99 are where Date.UTC would go wrong.
    expect(render('%Y %j', 'UTC', at('0004-12-31T00:00:00Z'))).toBe('0004 366')
  })

  it('pads years to four digits and keeps the sign of years before 1 BC', () => {
    expect(render('%Y %y', 'UTC', at('0999-06-01T00:00:00Z'))).toBe('0999 99')
    expect(render('%Y', 'UTC', at('0000-06-01T00:00:00Z'))).toBe('0000')
    expect(render('%Y %y', 'UTC', at('-000001-06-01T00:00:00Z'))).toBe('-0001 99')
    expect(render('%Y', 'UTC', at('+012026-06-01T00:00:00Z'))).toBe('12026')
  })

  it('renders half-hour offsets and local mean time truncated to the minute', () => {
    expect(render('%H:%M %z %:z %Z', 'Asia/Kolkata', at('2026-07-15T12:00:00Z'))).toBe(
      '17:30 +0530 +05:30 GMT+5:30',
    )
    // Berlin kept local mean time, +0:53:28, until 1893.
    expect(render('%H:%M:%S %z %:z', 'Europe/Berlin', at('1880-06-01T00:00:00Z'))).toBe(
      '00:53:28 +0053 +00:53',
    )
  })

  it('follows DST at the exact transition', () => {
    const format = '%F %T.%L %Z %z'
    expect(render(format, 'America/New_York', at('2026-03-08T06:59:59.999Z'))).toBe(
      '2026-03-08 01:59:59.999 EST -0500',
    )
    expect(render(format, 'America/New_York', at('2026-03-08T07:00:00.000Z'))).toBe(
      '2026-03-08 03:00:00.000 EDT -0400',
    )
    const compiled = compileStrftime(format, createZone('America/New_York'))
    expect(compiled(at('2026-11-01T05:59:59.999Z'))).toBe('2026-11-01 01:59:59.999 EDT -0400')
    expect(compiled(at('2026-11-01T06:00:00.000Z'))).toBe('2026-11-01 01:00:00.000 EST -0500')
    expect(compiled(at('2026-11-01T05:59:59.999Z'))).toBe('2026-11-01 01:59:59.999 EDT -0400')
  })

  it('keeps literal text, including % written as %%', () => {
    expect(render('at %H:%M (%Z) 100%% done', 'UTC', at('2026-11-20T14:03:07.045Z'))).toBe(
      'at 14:03 (UTC) 100% done',
    )
    expect(render('%%Y is %Y, 🕒 %T', 'UTC', at('2026-11-20T14:03:07.045Z'))).toBe('%Y is 2026, 🕒 14:03:07')
    expect(render('no directives', 'UTC', 0)).toBe('no directives')
    expect(render('', 'UTC', 0)).toBe('')
  })

  it('floors fractional instants to their millisecond', () => {
    expect(render('%T.%L', 'UTC', 1.7)).toBe('00:00:00.001')
    expect(render('%F %T.%L %s', 'UTC', -0.5)).toBe('1969-12-31 23:59:59.999 -1')
  })

  it('renders times a Date cannot hold as now, without throwing', () => {
    const format = compileStrftime('%F', createZone('UTC'))
    for (const t of [Number.NaN, Number.POSITIVE_INFINITY, 9e15]) {
      expect(format(t)).toBe(new Date().toISOString().slice(0, 10))
    }
  })
})

describe('DEFAULT_TIMESTAMP_FORMAT', () => {
  it('is ISO 8601 with milliseconds and offset', () => {
    expect(DEFAULT_TIMESTAMP_FORMAT).toBe('%Y-%m-%dT%H:%M:%S.%L%:z')
    expect(render(DEFAULT_TIMESTAMP_FORMAT, 'Europe/Berlin', at('2026-11-20T13:03:07.045Z'))).toBe(
      '2026-11-20T14:03:07.045+01:00',
    )
    expect(render(DEFAULT_TIMESTAMP_FORMAT, 'Europe/Berlin', at('2026-07-15T12:00:00Z'))).toBe(
      '2026-07-15T14:00:00.000+02:00',
    )
  })

  it('in UTC equals Date#toISOString with +00:00 for any year 0…9999', () => {
    const format = compileStrftime(DEFAULT_TIMESTAMP_FORMAT, createZone('UTC'))
    fc.assert(
      fc.property(
        fc.integer({ min: at('0000-01-01T00:00:00Z'), max: at('9999-12-31T23:59:59.999Z') }),
        (t) => {
          expect(format(t)).toBe(new Date(t).toISOString().replace('Z', '+00:00'))
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('matches Intl wall-clock fields in named zones', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Pacific/Apia',
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: at('1900-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z') }),
        (timezone, t) => {
          const parts = new Intl.DateTimeFormat('en-US', {
            timeZone: timezone,
            hourCycle: 'h23',
            weekday: 'short',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          }).formatToParts(t)
          const field = (type: string) => parts.find((part) => part.type === type)?.value
          const expected = `${field('weekday')} ${field('year')}-${field('month')}-${field('day')} ${field('hour')}:${field('minute')}:${field('second')}`
          expect(render('%a %F %T', timezone, t)).toBe(expected)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('strftime validation', () => {
  const known = '%Y %m %d %H %M %S %L %f %z %:z %Z %j %a %A %b %B %p %I %y %e %F %T %s %u %%'

  function compileError(format: unknown): LanesConfigError {
    try {
      compileStrftime(format as string, createZone('UTC'))
    } catch (error) {
      expect(error).toBeInstanceOf(LanesConfigError)
      expect((error as LanesConfigError).option).toBe('timestampFormat')
      return error as LanesConfigError
    }
    throw new Error(`expected a LanesConfigError for ${JSON.stringify(format)}`)
  }

  it('names an unknown directive and lists the known ones', () => {
    expect(compileError('%Y-%Q').message).toBe(
      `loglanes: option "timestampFormat" has an unknown directive '%Q' (known: ${known}); got '%Y-%Q'`,
    )
    expect(compileError('%:x').message).toBe(
      `loglanes: option "timestampFormat" has an unknown directive '%:x' (known: ${known}); got '%:x'`,
    )
    expect(compileError('%k').message).toContain("unknown directive '%k'")
    expect(compileError('%:').message).toContain("unknown directive '%:'")
  })

  it('rejects a trailing lone %', () => {
    expect(compileError('%H:%M %').message).toBe(
      `loglanes: option "timestampFormat" ends with a lone '%' (write '%%' for a literal %); got '%H:%M %'`,
    )
    expect(compileError('%').message).toContain("ends with a lone '%'")
    expect(() => compileStrftime('100%%', createZone('UTC'))).not.toThrow()
  })

  it('rejects a format that is not a string', () => {
    expect(compileError(42).message).toBe(
      'loglanes: option "timestampFormat" must be a string of strftime directives; got 42',
    )
  })
})

describe('strftime cost', () => {
  it('renders 100,000 instants without calling Intl', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts')
    const format = compileStrftime(`${DEFAULT_TIMESTAMP_FORMAT} %Z`, createZone('Europe/Berlin'))
    const start = at('2026-11-20T13:03:07.045Z')
    expect(format(start)).toBe('2026-11-20T14:03:07.045+01:00 GMT+1')
    // The spy does see the misses, so the zero below is meaningful.
    expect(spy).toHaveBeenCalled()
    spy.mockClear()
    let last = ''
    for (let i = 0; i < 100_000; i++) last = format(start + i)
    expect(spy).not.toHaveBeenCalled()
    expect(last).toBe('2026-11-20T14:04:47.044+01:00 GMT+1')
  })
})
