import { inScope } from './roles';

describe('inScope', () => {
  it('lets a global grant reach everything', () => {
    expect(inScope({ global: true }, null)).toBe(true);
    expect(inScope({ global: true }, 'app-1')).toBe(true);
  });

  it('confines an application grant to its applications, never to global roles', () => {
    const scope = { global: false as const, applicationIds: new Set(['app-1']) };
    expect(inScope(scope, 'app-1')).toBe(true);
    expect(inScope(scope, 'app-2')).toBe(false);
    expect(inScope(scope, null)).toBe(false);
  });
});
