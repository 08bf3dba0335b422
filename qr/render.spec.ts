import t from 'tap'
import { renderQrPng, renderQrSvg } from './render.ts'

t.test('renders SVG and PNG', async t => {
  t.match(await renderQrSvg('https://ptvem.example/p/abc'), /^<svg[\s\S]*<\/svg>\s*$/)
  const png = await renderQrPng('https://ptvem.example/p/abc')
  t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature')
})
