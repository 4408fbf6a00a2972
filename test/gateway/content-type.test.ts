import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sniffType, typeFromName } from '../../src/gateway/content-type.ts'

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))

describe('typeFromName', () => {
  it('maps known extensions case-insensitively and says nothing for unknown or missing ones', () => {
    assert.equal(typeFromName('index.HTML'), 'text/html; charset=utf-8')
    assert.equal(typeFromName('feed.xml'), 'application/xml')
    assert.equal(typeFromName('clip.webm'), 'video/webm')
    assert.equal(typeFromName('README'), undefined)
    assert.equal(typeFromName('.hidden'), undefined)
    assert.equal(typeFromName('archive.unknownext'), undefined)
  })
})

describe('sniffType', () => {
  it('recognises image, document and media signatures', () => {
    const cases: Array<[Uint8Array, string]> = [
      [bytes([0x89], 'PNG\r\n\x1a\n', [0, 0]), 'image/png'],
      [bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
      [bytes('GIF89a', [1, 0]), 'image/gif'],
      [bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
      [bytes('%PDF-1.7\n'), 'application/pdf'],
      [bytes([0, 0, 0, 0x18], 'ftypmp42'), 'video/mp4'],
    ]
    for (const [head, type] of cases) assert.equal(sniffType(head, false), type)
  })

  it('tells HTML, SVG, JSON and plain text apart', () => {
    assert.equal(sniffType(bytes('\n  <!DOCTYPE html><html>'), true), 'text/html; charset=utf-8')
    assert.equal(sniffType(bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), true), 'image/svg+xml')
    assert.equal(sniffType(bytes('<svg viewBox="0 0 1 1"/>'), true), 'image/svg+xml')
    assert.equal(sniffType(bytes('{"a": [1, 2]}'), true), 'application/json')
    assert.equal(sniffType(bytes('{not json'), true), 'text/plain; charset=utf-8')
    assert.equal(sniffType(bytes('[1, 2, 3'), false), 'application/json')
    assert.equal(sniffType(Buffer.from('héllo wörld\n'), true), 'text/plain; charset=utf-8')
  })

  it('calls binary that matches nothing application/octet-stream', () => {
    assert.equal(sniffType(bytes([0, 1, 2, 3, 0xfe, 0xff]), true), 'application/octet-stream')
  })

  it('does not mistake a multi-byte character cut at the end of the prefix for binary', () => {
    const text = Buffer.from(`${'a'.repeat(511)}é`).subarray(0, 512)
    assert.equal(sniffType(text, false), 'text/plain; charset=utf-8')
  })
})
