/** Drops keys whose value is undefined, so optional fields are absent from events rather than undefined. */
export const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T
