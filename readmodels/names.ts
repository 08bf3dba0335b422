/**
 * Collection names and field paths end up inside SQL text (table names, json paths) and MongoDB collection
 * names, so both are checked against a strict grammar before any implementation uses them.
 */
const COLLECTION = /^[a-z][a-z0-9_]{0,62}$/
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

export function assertCollectionName(name: string): void {
  if (!COLLECTION.test(name)) throw new TypeError(`invalid collection name ${JSON.stringify(name)}`)
}

export function assertFieldPath(path: string): void {
  if (!FIELD_PATH.test(path)) throw new TypeError(`invalid field path ${JSON.stringify(path)}`)
}
