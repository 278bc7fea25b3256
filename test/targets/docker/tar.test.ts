import { execFileSync } from 'node:child_process';
import { numericField, paxRecord, tarFiles } from '../../../lib/targets/docker/tar';
import { FileCopy } from '../../../lib/targets/docker/plan';

const file = (path: string, content: string, extra: Partial<FileCopy> = {}): FileCopy => ({ path, contentBase64: Buffer.from(content).toString('base64'), mode: 0o644, uid: 0, gid: 0, ...extra });

/** GNU tar, a real reader, lists the archive: `mode uid/gid size date time path` per entry. */
const list = (tar: Buffer) => execFileSync('tar', ['-tv', '--numeric-owner', '-f', '-'], { input: tar }).toString().trim().split('\n')
  .map((l) => l.split(/\s+/)).map((f) => `${f[0]} ${f[1]} ${f[2]} ${f.slice(5).join(' ')}`);
const extract = (tar: Buffer, path: string) => execFileSync('tar', ['-xO', '-f', '-', path], { input: tar }).toString();

describe('tarFiles', () => {
  test('numericField writes octal when it fits and base-256 beyond 7 octal digits', () => {
    expect(numericField(0o644, 8).toString('ascii')).toBe('0000644\0');
    expect(numericField(2097151, 8).toString('ascii')).toBe('7777777\0');
    expect([...numericField(2097152, 8)]).toEqual([0x80, 0, 0, 0, 0, 0x20, 0, 0]);
    expect(numericField(1000650000, 8).readUInt32BE(4)).toBe(1000650000);
    expect(numericField(1000650000, 8)[0]).toBe(0x80);
    expect(() => numericField(-1, 8)).toThrow(RangeError);
  });

  test('paxRecord counts its own length, including when the digits roll over', () => {
    expect(paxRecord('path', 'a')).toBe('9 path=a\n');
    for (const n of [1, 90, 91, 92, 95, 990, 995]) {
      const r = paxRecord('path', 'x'.repeat(n));
      expect(Number(r.split(' ')[0])).toBe(Buffer.byteLength(r));
    }
  });

  test('GIVEN short, split and very long paths THEN a real tar reader sees each full path and content', () => {
    const long = `etc/cfg/${'k'.repeat(120)}`;
    const deep = `${'d'.repeat(80)}/${'e'.repeat(80)}/${'f'.repeat(90)}.conf`; // 252 bytes: ustar prefix split
    const huge = `etc/${'é'.repeat(130)}/${'k'.repeat(253)}`; // fits no ustar split: PAX
    const tar = tarFiles([file('/a.txt', 'A'), file(`/${long}`, 'L'), file(`/${deep}`, 'D'), file(`/${huge}`, 'H')]);
    expect(tar.length % 512).toBe(0);
    expect(list(tar).map((l) => l.split(' ').slice(3).join(' '))).toEqual(['a.txt', long, deep, huge]);
    expect(extract(tar, long)).toBe('L');
    expect(extract(tar, huge)).toBe('H');
  });

  test('GIVEN a uid of 1000650000 and mode 0400 THEN the reader sees that owner and mode', () => {
    const tar = tarFiles([file('/s/pw', 'hunter2', { mode: 0o400, uid: 1000650000, gid: 1000650000 })]);
    expect(list(tar)).toEqual(['-r-------- 1000650000/1000650000 7 s/pw']);
  });

  test('is deterministic', () => {
    const files = [file(`/x/${'k'.repeat(150)}`, 'v', { uid: 3000000 })];
    expect(tarFiles(files).equals(tarFiles(files))).toBe(true);
  });
});
