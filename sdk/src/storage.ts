/**
 * Where the auth layer keeps the session between calls (and, with a persistent storage, page loads).
 * The Web Storage shape, so `localStorage`, `sessionStorage` or React Native's AsyncStorage fit as they are.
 */
export interface TokenStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** In memory only: gone when the page or process ends (the safest; with cookie mode a reload restores the session). */
export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * The browser's `localStorage`: survives reloads, but any script on the page can read it (an XSS
 * reads the tokens) — prefer cookie mode with memoryStorage in browsers (docs/sdk.md).
 */
export function localStorageStorage(storage: TokenStorage | undefined = (globalThis as { localStorage?: TokenStorage }).localStorage): TokenStorage {
  if (!storage) throw new Error('localStorage is not available here; use memoryStorage() or a custom TokenStorage');
  return storage;
}
