/** What `build`, `pack`, `start` and `deploy` show while the site is built, and about the render cache once it is. */
import type { BuildProgressEvents, RenderCacheReport } from '../../events.ts'
import type { Output } from '../output.ts'

/** The build's progress as `build` and `pack` show it. */
export function buildProgress(output: Output): (event: BuildProgressEvents) => void {
  return (event) => {
    if (event.type === 'build:warning') output.warn(event.detail)
    else if (event.type === 'build:page') output.progress(`rendering ${event.detail.done}/${event.detail.total} pages`)
    else if (event.type === 'build:command') output.info(`running build command: ${event.detail.command}`)
    else if (event.type === 'build:cache') showRenderCache(output, event.detail)
  }
}

export function showRenderCache(output: Output, report: RenderCacheReport): void {
  const { posts, pages, corrupt } = report
  const damaged = corrupt === 0 ? '' : `; ${corrupt} damaged ${corrupt === 1 ? 'entry' : 'entries'} rendered again`
  output.info(
    `render cache: reused ${posts.cached} of ${posts.cached + posts.rendered} posts and ${pages.cached} of ${pages.cached + pages.rendered} pages${damaged}`,
  )
  if (report.ignored !== undefined) output.info(`render cache: the previous cache was not used (${report.ignored})`)
  if (report.error !== undefined) output.warn(`render cache: ${report.error} (the build is not affected)`)
}

/** The `--no-cache` option of the commands that build the site. */
export const NO_CACHE_OPTION = {
  type: 'boolean',
  description: 'render every post and page again, and neither read nor write the render cache (<store>/render-cache)',
} as const
