/** The public product page: plain HTML and a little CSS, readable on a phone, no JavaScript. */
import type { Money } from '../../domain/money.ts'
import type { PublicOwnerPeriod } from '../passport/owners.ts'
import type { PublicEvent } from '../passport/publicEvent.ts'
import type { LifecycleItem } from '../passport/views.ts'
import type { presentScan, Verdict } from '../views/product.ts'
import type { presentStory } from '../views/stories.ts'
import { html, Html } from './html.ts'

export interface PassportPage {
  product: ReturnType<typeof presentScan>
  owners: PublicOwnerPeriod[]
  stories: ReturnType<typeof presentStory>[]
  history: PublicEvent[]
  /** Accepted lifecycle records, oldest first. */
  lifecycle: LifecycleItem[]
  care: string | null
}

// Phone first: one column, large tap-free text, cards for the verdict and the listing, long words wrapped.
export const STYLE = `*{box-sizing:border-box}
body{font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:40rem;padding:1.25rem 1rem 2rem;color:#1f2421;background:#fafaf7;overflow-wrap:anywhere}
header{margin-bottom:1rem}.brand{margin:0;color:#5b635e;font-size:.8rem;font-weight:600;letter-spacing:.08em;text-transform:uppercase}
h1{font-size:1.7rem;line-height:1.2;margin:.15rem 0 0}h2{font-size:1.05rem;margin:0 0 .6rem}h3{font-size:1.05rem;margin:0 0 .2rem}
section{margin-top:1.25rem;padding:1rem;background:#fff;border:1px solid #e6e8e3;border-radius:.75rem}
section>:first-child{margin-top:0}section>:last-child,article>:last-child{margin-bottom:0}
.verdict{margin:0;padding:.85rem 1rem;border-radius:.75rem;font-weight:600}
.verdict::before{display:inline-block;width:1.4rem;font-weight:700}
.authentic{background:#e2f4e6;color:#145c2c;border:1px solid #b9e2c4}.authentic::before{content:"\\2713"}
.revoked,.unknown,.suspicious{background:#fde7e7;color:#8a1c1c;border:1px solid #f4c2c2}.revoked::before,.unknown::before,.suspicious::before{content:"!"}
.unverified,.unverified_brand{background:#fff4dc;color:#6b4a00;border:1px solid #f0d9a0}.unverified::before,.unverified_brand::before{content:"?"}
.todo{margin:.5rem 0 0;font-weight:600}
.ended{margin:.75rem 0 0;padding:.85rem 1rem;border-radius:.75rem;background:#eceee9;color:#1f2421;border:1px solid #d5dad3;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;margin:.75rem 0 0}dt{color:#5b635e}dd{margin:0}
.listing{border-color:#c9d9f0;background:#f3f7fd}.price{font-size:1.6rem;font-weight:700;margin:0}
ol{list-style:none;margin:0;padding:0}
.owners li,.history li{position:relative;padding:0 0 .6rem 1.1rem;border-left:2px solid #d5dad3;margin-left:.3rem}
.owners li:last-child,.history li:last-child{padding-bottom:0}
.owners li::before,.history li::before{content:"";position:absolute;left:-.4rem;top:.45rem;width:.6rem;height:.6rem;border-radius:50%;background:#7c9a86}
article{padding:.9rem 0;border-top:1px solid #eceee9}article:first-of-type{padding-top:0;border-top:0}
article p{margin:.3rem 0 .6rem}img{display:block;width:100%;height:auto;border-radius:.5rem;margin-top:.5rem;background:#eceee9}
.alert{margin:0 0 1rem;padding:.85rem 1rem;border-radius:.75rem;background:#fff4d6;color:#6b4a00;border:1px solid #f0d58a;font-weight:600}
.muted{color:#5b635e;font-size:.9rem}footer{margin-top:1.5rem;text-align:center}`

const layout = (title: string, body: Html): Html => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${new Html(STYLE)}</style></head>
<body>${body}</body></html>`

const day = (time: string | null) => time?.slice(0, 10) ?? ''

const price = ({ amount, currency }: Money): string => {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount / 100)
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`
  }
}

/** `OwnershipTransferred` → `Ownership transferred`, `QrCodeIssued` → `QR code issued`. */
const label = (type: string) =>
  type.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').replace(/ \w/g, word => word.toLowerCase()).replace(/^Qr code/, 'QR code')

/** Each verdict in plain words: what it means, and what to do. */
const verdicts: Record<Verdict, { says: string; todo: string }> = {
  authentic: { says: 'Authentic: this code was issued for this product by a verified brand.', todo: '' },
  revoked: {
    says: 'This code was revoked: the product now carries a newer code. This label may be a copy.',
    todo: 'Ask the seller for the current label, and do not buy on the strength of this one.',
  },
  unverified: {
    says: 'Not verified: this link carries no valid signature, so it proves nothing about the item in front of you.',
    todo: 'Scan the code on the label itself with your phone camera.',
  },
  unverified_brand: {
    says: 'The brand that issued this passport is not, or no longer, verified.',
    todo: 'Treat the item with care: check it with the brand or the seller before you rely on it.',
  },
  suspicious: {
    says: 'Warning: this code has been scanned in many places at once. The label may have been copied.',
    todo: 'Compare the item with the details below and ask the seller for proof; the owner can issue a new code.',
  },
}

const verdictBlock = (status: Verdict) => {
  const { says, todo } = verdicts[status]
  return html`<p class="verdict ${status}">${says}</p>${todo && html`<p class="todo">${todo}</p>`}`
}

const alerts = {
  lost: 'Reported lost by its owner',
  stolen: 'Reported stolen by its owner',
}

const alertBanner = (alert: NonNullable<PassportPage['product']['alert']>) =>
  html`<p class="alert" role="alert">${alerts[alert.status]} on ${day(alert.since)}. If you found it or were offered it, contact the brand or the police; it cannot change hands until the report is cleared.</p>`

const ownerLine = ({ owner, visibility, from, to, via }: PublicOwnerPeriod) =>
  visibility === 'hidden'
    ? html`<li>An owner who keeps their period private</li>`
    : html`<li>${owner ? owner.displayName ?? 'An owner' : 'An anonymous owner'} · ${day(from)} – ${to ? day(to) : 'now'}${via ? html` <span class="muted">(${via})</span>` : ''}</li>`

const storyBlock = (story: PassportPage['stories'][number]) => html`<article>
<h3>${story.title}</h3><p class="muted">${day(story.occurredAt)}${story.author ? html` · ${story.author.displayName}` : ''}</p>
<p>${story.body}</p>${story.media.map(({ url }) => html`<img src="${url}" alt="A photo from this story" loading="lazy">`)}
</article>`

const lifecycleLabels: Record<string, string> = {
  repair: 'Repair',
  alteration: 'Alteration',
  cleaning: 'Cleaning',
  inspection: 'Inspection',
  take_back: 'Taken back',
  recycling: 'Recycling',
}

const lifecycleLine = ({ type, description, occurredAt, partner }: LifecycleItem) =>
  html`<li><span class="muted">${day(occurredAt)}</span> · ${lifecycleLabels[type] ?? type}${partner.displayName ? html` by ${partner.displayName}` : ''}<br>${description}</li>`

const conditions: Record<string, string> = { new: 'New', like_new: 'Like new', good: 'Good', fair: 'Fair' }

export function renderPassportPage({ product, owners, stories, history, lifecycle, care }: PassportPage): Html {
  const facts: [string, string | null | undefined][] = [
    ['Materials', product.materials?.map(({ fibre, percent }) => `${percent}% ${fibre}`).join(', ')],
    ['Made in', product.madeIn],
    ['Serial', product.serialNumber],
    ['GTIN', product.gtin],
    ['Care', care],
  ]
  const listing = product.activeListing
  return layout(
    `${product.name} · ${product.brand}`,
    html`<header><p class="brand">${product.brand}</p><h1>${product.name}</h1></header>
${product.alert && alertBanner(product.alert)}
${verdictBlock(product.authenticity.status)}
${product.endOfLife && html`<p class="ended">This garment's life has ended: ${lifecycleLabels[product.endOfLife.type]?.toLowerCase() ?? product.endOfLife.type} on ${day(product.endOfLife.at)}.</p>`}
<section class="about">${product.description && html`<p>${product.description}</p>`}
<dl>${facts.map(([name, value]) => value && html`<dt>${name}</dt><dd>${value}</dd>`)}</dl></section>
${listing && html`<section class="listing"><h2>For sale</h2><p class="price">${price(listing.price)}</p><p class="muted">Condition: ${conditions[listing.condition] ?? listing.condition}${listing.status === 'reserved' ? ' · reserved' : ''}</p></section>`}
<section class="owners"><h2>Owners</h2><ol>${owners.map(ownerLine)}</ol></section>
${lifecycle.length > 0 && html`<section class="history lifecycle"><h2>Care, repairs and after-life</h2><ol>${lifecycle.map(lifecycleLine)}</ol></section>`}
<section class="stories"><h2>Stories</h2>${stories.length > 0 ? stories.map(storyBlock) : html`<p class="muted">No stories yet.</p>`}</section>
<section class="history"><h2>History</h2><ol>${history.map(event => html`<li><span class="muted">${day(event.occurredAt)}</span> · ${label(event.type)}</li>`)}</ol></section>
<footer class="muted">Digital product passport</footer>`,
  )
}

export const renderUnknownCodePage = (): Html =>
  layout(
    'Unknown code',
    html`<h1>Unknown code</h1><p class="verdict unknown">We never issued this code. The label may be counterfeit.</p>`,
  )

export interface ModelPage {
  name: string
  brand: string
  gtin: string
  description: string | null
  materials: { fibre: string; percent: number }[] | null
  madeIn: string | null
}

/** The page of a model (a GTIN), where the resolver sends a Digital Link without a serial number. */
export const renderModelPage = ({ name, brand, gtin, description, materials, madeIn }: ModelPage): Html => {
  const facts: [string, string | null | undefined][] = [
    ['Materials', materials?.map(({ fibre, percent }) => `${percent}% ${fibre}`).join(', ')],
    ['Made in', madeIn],
    ['GTIN', gtin],
  ]
  return layout(
    `${name} · ${brand}`,
    html`<header><p class="brand">${brand}</p><h1>${name}</h1></header>
<section class="about">${description && html`<p>${description}</p>`}
<dl>${facts.map(([label, value]) => value && html`<dt>${label}</dt><dd>${value}</dd>`)}</dl></section>
<p class="muted">Each garment of this model has a passport of its own: scan the code on its label.</p>
<footer class="muted">Digital product passport</footer>`,
  )
}
