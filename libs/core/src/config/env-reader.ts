/**
 * A small typed reader over an environment map. Every accessor records a readable problem instead of
 * throwing, so that one boot reports every misconfiguration at once.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value)) {
      this.problems.push(`${name} must be an integer (got "${raw}")`);
      return fallback;
    }
    if (range.min !== undefined && value < range.min) {
      this.problems.push(`${name} must be at least ${range.min} (got ${value})`);
      return fallback;
    }
    if (range.max !== undefined && value > range.max) {
      this.problems.push(`${name} must be at most ${range.max} (got ${value})`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string;
  url(name: string, fallback: undefined, protocols: readonly string[]): string | undefined;
  url(name: string, fallback: string | undefined, protocols: readonly string[]): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
        return fallback;
      }
      return raw;
    } catch {
      this.problems.push(`${name} must be a URL`);
      return fallback;
    }
  }

  list(name: string): string[] | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}
