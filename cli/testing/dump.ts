/** Every document of every projected collection, read page by page through the port, for comparing stores. */
export { dump } from '../../projectors/testing/store.ts'
