// The kernel: small pieces every feature lib may use (today: paging — the page query DTO, the list
// response base and the one cursor codec). It depends on nothing feature-specific; its errors extend
// the domain error base of `@app/core`, so the one problem+json filter maps them.
export * from './pagination';
