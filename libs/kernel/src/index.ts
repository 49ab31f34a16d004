// The kernel: small pieces every feature lib may use — who is calling (Actor, the permission names and
// `can()`, the system actor), the current-actor and request-origin (`Meta`) parameter decorators, and
// paging (the page query DTO, the list response base and the one cursor codec). It depends on nothing
// feature-specific; its errors extend the domain error base of `@app/core`, so the one problem+json
// filter maps them. (The Clock port lives in `@app/core`, which uses it itself.)
export * from './access/actor';
export * from './access/permissions';
export * from './access/errors';
export * from './http/current-actor.decorator';
export * from './http/request-meta';
export * from './http/request-meta.decorator';
export * from './pagination';
