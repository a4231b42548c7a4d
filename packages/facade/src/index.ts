/** Placeholder until the facade issue lands; the package builds and resolves. */
export const packageName = 'loglanes'
