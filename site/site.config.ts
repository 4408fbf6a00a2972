import { defineSite } from '../src/render/index.ts'

export default defineSite({
  title: 'ipfs-publish',
  description: 'Notes on publishing static sites to IPFS: content addressing, pinning, names and gateways.',
  baseUrl: 'https://blog.ipfs-publish.dev/',
  language: 'en',
  authors: {
    marta: { name: 'Marta Sousa', bio: 'Maintains the renderer and the gateway.' },
    lin: { name: 'Lin Wei', bio: 'Works on pinning targets and verification.' },
    ada: { name: 'Ada Okafor', bio: 'Works on names: IPNS and DNSLink.' },
  },
  postsPerPage: 10,
  markdown: { breaks: false, repairEncoding: false },
  permalink: '/posts/:slug/',
  nav: [
    { text: 'Posts', url: '/' },
  ],
  social: {
    github: 'https://github.com/ipfs-publish/ipfs-publish',
  },
  favicon: '/assets/images/favicon.svg',
  image: '/assets/images/logo.svg',
})
