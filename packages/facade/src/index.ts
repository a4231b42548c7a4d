// Node's types for the declarations (see @loglanes/core's index), without relying on core's index being loaded first.
/// <reference types="node" preserve="true" />
/**
 * loglanes — the typed facade: `createLanes({ domains })` gives one logger per domain, typed for the editor.
 * @packageDocumentation
 */
export { LanesConfigError, type LanesOptions } from '@loglanes/core'
export { colorsWanted, LEVEL_COLORS } from './consoleColors.js'
export {
  createLanes,
  type ResolvedFacadeOptions,
  resolveFacadeOptions,
  type ValidDomains,
} from './facade/createLanes.js'
export type {
  ConsoleOption,
  CreateLanesOptions,
  DomainLogger,
  FacadeMembers,
  LanesFacade,
  LevelName,
  LogMethod,
  ReservedName,
} from './facade/facadeTypes.js'
export { RESERVED_NAMES } from './facade/facadeTypes.js'
export { UnknownDomainError } from './facade/unknownDomainError.js'
export { WorkerFailedError } from './facade/workerFailedError.js'
export { GENERATED_MARKER, type GenerateFacadeOptions, generateFacade } from './generate/generateFacade.js'
