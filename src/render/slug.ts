/** URL slugs for tags and titles. */

/**
 * Lowercase, accents dropped, anything but letters and digits becomes one dash. Letters of
 * any script are kept (a Japanese tag gets a Japanese slug), so no tag ends up with an empty slug.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}
