/** The public product page: plain HTML and a little CSS, readable on a phone, no JavaScript. */
import type { Money } from '../../domain/money.ts'
import type { PublicOwnerPeriod } from '../passport/owners.ts'
import type { PublicEvent } from '../passport/publicEvent.ts'
import type { presentScan } from '../views/product.ts'
import type { presentStory } from '../views/stories.ts'
import { html, Html } from './html.ts'

export interface PassportPage {
  product: ReturnType<typeof presentScan>
  owners: PublicOwnerPeriod[]
  stories: ReturnType<typeof presentStory>[]
  history: PublicEvent[]
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#222}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin-top:1.5rem;border-bottom:1px solid #ddd}
.verdict{padding:.6rem .8rem;border-radius:.4rem;font-weight:600}.authentic{background:#e3f6e8;color:#17632e}
.revoked,.unknown{background:#fde8e8;color:#8a1c1c}img{max-width:100%;height:auto;border-radius:.3rem}
ul{padding-left:1.2rem}.muted{color:#666;font-size:.9rem}article{margin-bottom:1rem}`

const layout = (title: string, body: Html): Html => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${new Html(STYLE)}</style></head>
<body>${body}</body></html>`

const day = (time: string | null) => time?.slice(0, 10) ?? ''

const price = ({ amount, currency }: Money): string => {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount / 100)
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`
  }
}

/** `OwnershipTransferred` → `Ownership transferred`. */
const label = (type: string) => type.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').replace(/ \w/g, word => word.toLowerCase())

const verdicts = {
  authentic: 'Authentic: this code was issued for this product.',
  revoked: 'This code was revoked: the product now carries a newer code. This label may be a copy.',
}

const ownerLine = ({ owner, visibility, from, to, via }: PublicOwnerPeriod) =>
  visibility === 'hidden'
    ? html`<li>An owner who keeps their period private</li>`
    : html`<li>${owner ? owner.displayName ?? 'An owner' : 'An anonymous owner'} · ${day(from)} – ${to ? day(to) : 'now'}${via ? html` <span class="muted">(${via})</span>` : ''}</li>`

const storyBlock = (story: PassportPage['stories'][number]) => html`<article>
<h3>${story.title}</h3><p class="muted">${day(story.occurredAt)}${story.author ? html` · ${story.author.displayName}` : ''}</p>
<p>${story.body}</p>${story.media.map(({ url }) => html`<img src="${url}" alt="" loading="lazy">`)}
</article>`

export function renderPassportPage({ product, owners, stories, history }: PassportPage): Html {
  const details = [
    product.description && html`<p>${product.description}</p>`,
    product.materials && html`<p>Materials: ${product.materials.map(({ fibre, percent }) => `${percent}% ${fibre}`).join(', ')}</p>`,
    product.madeIn && html`<p>Made in ${product.madeIn}</p>`,
    html`<p class="muted">Serial ${product.serialNumber}${product.gtin ? ` · GTIN ${product.gtin}` : ''}</p>`,
  ]
  const listing = product.activeListing
  return layout(
    `${product.name} · ${product.brand}`,
    html`<p class="muted">${product.brand}</p><h1>${product.name}</h1>
<p class="verdict ${product.authenticity.status}">${verdicts[product.authenticity.status]}</p>
${details}
${listing && html`<h2>For sale</h2><p>${price(listing.price)} · condition: ${listing.condition.replace('_', ' ')}${listing.status === 'reserved' ? ' · reserved' : ''}</p>`}
<h2>Owners</h2><ul>${owners.map(ownerLine)}</ul>
<h2>Stories</h2>${stories.length > 0 ? stories.map(storyBlock) : html`<p class="muted">No stories yet.</p>`}
<h2>History</h2><ul>${history.map(event => html`<li>${day(event.occurredAt)} · ${label(event.type)}</li>`)}</ul>`,
  )
}

export const renderUnknownCodePage = (): Html =>
  layout(
    'Unknown code',
    html`<h1>Unknown code</h1><p class="verdict unknown">We never issued this code. The label may be counterfeit.</p>`,
  )
