import t from 'tap'
import { html } from './html.ts'

t.test('escapes every interpolated value, not the template', async t => {
  const evil = `<script>alert("x")</script>&'`
  t.equal(String(html`<p title="${evil}">${evil}</p>`), '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>')
})

t.test('nests templates and lists without escaping them twice, and drops empty values', async t => {
  const items = ['a<b', 'c'].map(item => html`<li>${item}</li>`)
  t.equal(String(html`<ul>${items}</ul>${null}${undefined}${false}${0}`), '<ul><li>a&lt;b</li><li>c</li></ul>0')
})
