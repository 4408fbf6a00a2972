/**
 * GitHub-style heading slugs, so links copied from a repository's README or from
 * the old blog (VuePress, Hugo and Eleventy all produce these) keep working.
 */

// Everything but letters, marks, digits, connector punctuation, space and hyphen goes,
// and so do the joiners and presentation selectors that are part of emoji (🏳️‍🌈).
const REMOVED = /[^\p{L}\p{M}\p{N}\p{Pc} -]|[\u200D\uFE00-\uFE0F]/gu

/** Used when a heading has no letters or digits at all (only emoji or punctuation). */
export const EMPTY_SLUG = 'section'

export function githubSlug(text: string): string {
  const slug = text.trim().toLowerCase().replace(REMOVED, '').replace(/ /g, '-')
  return slug === '' ? EMPTY_SLUG : slug
}
