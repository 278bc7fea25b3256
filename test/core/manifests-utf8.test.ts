import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockyardError } from '../../lib/core/errors';
import { decodeUtf8, firstInvalidUtf8, loadManifests } from '../../lib/core/manifests';

const CONFIG = (value: Buffer) => Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: "'), value, Buffer.from('"\n')]);

describe('invalid UTF-8 in manifests', () => {
  test('GIVEN a Latin-1 byte in a value WHEN loading the file THEN the error names file:line:col of the byte, not a silent U+FFFD', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-utf8-'));
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, CONFIG(Buffer.from([0x63, 0x61, 0x66, 0xe9])));
    try {
      expect(() => loadManifests([file])).toThrow(DockyardError);
      expect(() => loadManifests([file])).toThrow(`${file}:6:10] is not valid UTF-8 (byte 66: e9 22 0a)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN valid UTF-8 (multi-byte, a BOM) THEN the text is what utf8 decoding gave before', () => {
    const bytes = Buffer.from('\ufeffa: "café ✓ 😀"\n', 'utf8');
    expect(decodeUtf8(bytes, 'f')).toBe(bytes.toString('utf8'));
  });

  test.each([
    ['overlong "/"', [0xc0, 0xaf]], ['overlong 3-byte', [0xe0, 0x80, 0xaf]], ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]], ['stray continuation', [0x80]], ['truncated', [0xe2, 0x82]], ['0xff', [0xff]],
  ])('GIVEN %s THEN it is refused at its offset', (_name, bad) => {
    const bytes = Buffer.concat([Buffer.from('ok\nab'), Buffer.from(bad)]);
    expect(firstInvalidUtf8(bytes)).toBe(5);
    expect(() => decodeUtf8(bytes, 'x.yaml')).toThrow('[x.yaml:2:3] is not valid UTF-8');
  });

  test('GIVEN random bytes THEN the offset scan agrees with the strict decoder about validity', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.from(Array.from({ length: rnd() % 8 }, () => (rnd() % 3 === 0 ? rnd() % 128 : 0x80 + (rnd() % 128))));
      let valid = true;
      try { new TextDecoder('utf-8', { fatal: true }).decode(b); } catch { valid = false; }
      expect([b.toString('hex'), firstInvalidUtf8(b) === b.length]).toEqual([b.toString('hex'), valid]);
    }
  });

  test('GIVEN invalid UTF-8 on stdin WHEN running the CLI THEN it exits 1 naming -:line', () => {
    const bin = path.join(__dirname, '../../bin/dockyard.js');
    const r = spawnSync(process.execPath, [bin, 'validate', '-'], { input: CONFIG(Buffer.from([0xe9])), encoding: 'utf8' });
    expect(r.stderr).toContain('[-:6:7] is not valid UTF-8');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(1);
  });
});
