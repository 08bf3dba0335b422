/** Media ids become file names and object keys: only these characters, so no id can climb out of its folder. */
const MEDIA_ID = /^[A-Za-z0-9_-]{1,128}$/

export const isMediaId = (mediaId: string): boolean => MEDIA_ID.test(mediaId)

export const assertMediaId = (mediaId: string): void => {
  if (!isMediaId(mediaId)) throw new Error(`invalid media id: ${JSON.stringify(mediaId.slice(0, 140))}`)
}
