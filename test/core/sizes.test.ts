import { formatSize, LanesConfigError, parseSize } from '@loglanes/core'
import { describe, expect, it } from 'vitest'

describe('parseSize', () => {
  it.each([
    [4096, 4096],
    [1, 1],
    ['1', 1],
    ['100B', 100],
    ['512KB', 512 * 1024],
    ['512kb', 512 * 1024],
    ['100MB', 100 * 1024 * 1024],
    ['100Mb', 100 * 1024 * 1024],
    ['1GB', 1024 ** 3],
    ['10gb', 10 * 1024 ** 3],
    ['2TB', 2 * 1024 ** 4],
  ])('reads %j as %d bytes (1024-based, any letter case)', (value, bytes) => {
    expect(parseSize('maxFileSize', value)).toBe(bytes)
  })

  it.each([
    '10XB',
    '1.5GB',
    '-1MB',
    '0',
    '0KB',
    '',
    ' 1MB',
    '1 MB',
    'MB',
    '1KiB',
    '99999999999TB',
    -1,
    0,
    2.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    null,
    true,
    [1],
    { size: 1 },
  ])('refuses %j with a LanesConfigError naming the option', (value) => {
    let thrown: unknown
    try {
      parseSize('retention.maxTotalSize', value)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(LanesConfigError)
    const error = thrown as LanesConfigError
    expect(error.option).toBe('retention.maxTotalSize')
    expect(error.message).toMatch(
      /^loglanes: option "retention\.maxTotalSize" must be a size: a whole number of bytes of at least 1, or a string like '512KB', '100MB' or '1GB' \(1024-based\); got /,
    )
  })

  it("names the value it got: '10XB'", () => {
    expect(() => parseSize('maxFileSize', '10XB')).toThrow(/; got '10XB'$/)
  })
})

describe('formatSize', () => {
  it.each([
    [64 * 1024 * 1024, '64 MiB'],
    [1024, '1 KiB'],
    [1536, '1536 bytes'],
    [3 * 1024 ** 3, '3 GiB'],
    [5 * 1024 ** 4, '5 TiB'],
    [1, '1 byte'],
  ])('writes %d as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text)
  })
})
