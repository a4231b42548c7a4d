import { LevelLabels, PINO_LEVELS } from '@loglanes/pino'
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
