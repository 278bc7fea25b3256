import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAPABILITIES, canonicalCapability, capabilityInfo, nearestCapability } from '../../lib/policy/capabilities';

describe('the capability table', () => {
  test('docs/security.md shows exactly the table in code', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');
    const section = doc.slice(doc.indexOf('<!-- capabilities:start -->'), doc.indexOf('<!-- capabilities:end -->'));
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (yes|no) \| (yes|no) \| ([a-z-]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2] === 'yes', m[3] === 'yes', m[4], m[5]]);
    expect(rows).toEqual(CAPABILITIES.map((c) => [c.name, c.dockerDefault, c.baseline, c.verdict, c.why]));
  });

  test('it follows its sources: Docker\'s 14 defaults, baseline = defaults without NET_RAW, every Linux capability', () => {
    const docker = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
    expect(CAPABILITIES.filter((c) => c.dockerDefault).map((c) => c.name)).toEqual(docker);
    expect(CAPABILITIES.filter((c) => c.baseline).map((c) => c.name)).toEqual(docker.filter((c) => c !== 'NET_RAW'));
    expect(CAPABILITIES.filter((c) => c.name !== 'ALL')).toHaveLength(41);
    // Everything the baseline allows is harmless on its own; nothing Docker grants reaches the host.
    for (const c of CAPABILITIES) if (c.dockerDefault) expect([c.name, c.verdict]).not.toEqual([c.name, 'host-root']);
    for (const name of ['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'SYS_BOOT', 'NET_ADMIN', 'BPF', 'PERFMON', 'SYS_TIME']) {
      expect([name, capabilityInfo(name)?.verdict]).toEqual([name, 'host-root']);
    }
  });

  test('names are canonical whatever the spelling; unknown ones get a did-you-mean', () => {
    for (const w of ['SYS_ADMIN', 'sys_admin', 'CAP_SYS_ADMIN', 'cap_sys_admin', ' Cap_Sys_Admin ']) expect([w, canonicalCapability(w), capabilityInfo(w)?.name]).toEqual([w, 'SYS_ADMIN', 'SYS_ADMIN']);
    expect(capabilityInfo('SYS_ADMN')).toBeUndefined();
    expect(nearestCapability('SYS-ADMIN')).toBe('SYS_ADMIN');
    expect(nearestCapability('sysadmin')).toBe('SYS_ADMIN');
  });
});
