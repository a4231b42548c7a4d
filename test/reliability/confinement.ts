// Helpers of the hostile-input tests: where files may appear, and the values that try to put them elsewhere.
import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect } from 'vitest'

/** A name no test or system uses, so a file of that name anywhere is proof of an escape. */
export const ESCAPE_NAME = `loglanes-escape-${process.pid}`

/** Domain values from untrusted data: paths, odd names, lookalikes of the declared `app` and `pay`. */
export const HOSTILE_DOMAIN_STRINGS: readonly string[] = [
  '../../etc/x',
  `${'../'.repeat(12)}tmp/${ESCAPE_NAME}`,
  '/abs',
  `/tmp/${ESCAPE_NAME}`,
  'a/b',
  'a\\b',
  '',
  '.',
  '..',
  'x'.repeat(10_240),
  '\u0440ay', // Cyrillic р: looks like 'pay'
  '\u0430pp', // Cyrillic а: looks like 'app'
  '\uff50\uff41\uff59', // fullwidth 'pay'
  'pay\u200b', // zero-width space
  'pa\u0079\u0301', // 'pay' with a combining accent
  'PAY',
  'Pay',
  ' pay',
  'pay ',
  'pay.log',
  'pay\n',
  'pay\u0000',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'info',
  'fatal',
  'current',
  '.loglanes.lock',
  'CON',
]

/** Domain values that are not strings, as JSON (pino, winston) carries them. */
export const HOSTILE_DOMAIN_VALUES: readonly unknown[] = [
  42,
  0,
  -1,
  1.5,
  true,
  false,
  null,
  {},
  { name: 'pay' },
  ['pay'],
  [],
  { toString: 'pay' },
]

export const HOSTILE_DOMAINS: readonly unknown[] = [...HOSTILE_DOMAIN_STRINGS, ...HOSTILE_DOMAIN_VALUES]

/** Every entry under `root` (files, folders, links), relative to it, sorted. */
export function entriesUnder(root: string): string[] {
  const out: string[] = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      out.push(relative(root, path))
      if (entry.isDirectory()) walk(path)
    }
  }
  walk(root)
  return out.sort()
}

/**
 * Asserts that `root` (a fresh temporary folder holding `dir`) has nothing but `dir` and what is under it, and that
 * no file named {@link ESCAPE_NAME} appeared in the system's temporary folder or at the file system root.
 */
export function expectConfined(root: string, dir: string): void {
  const inside = relative(root, dir)
  expect(entriesUnder(root).filter((path) => path !== inside && !path.startsWith(`${inside}/`))).toEqual([])
  for (const place of ['/tmp', '/']) {
    expect(existsSync(join(place, ESCAPE_NAME))).toBe(false)
    expect(existsSync(join(place, `${ESCAPE_NAME}.log`))).toBe(false)
  }
  expect(existsSync('/etc/x.log')).toBe(false)
  expect(existsSync('/abs.log')).toBe(false)
}

/**
 * Reports a measured figure for RELIABILITY.md when `LOGLANES_FIGURES=1` is set (one JSON line on stderr), e.g.
 * `LOGLANES_FIGURES=1 npx vitest run test/reliability`.
 */
export function figure(name: string, values: Record<string, number | string>): void {
  if (process.env.LOGLANES_FIGURES === '1')
    process.stderr.write(`FIGURE ${JSON.stringify({ name, ...values })}\n`)
}
