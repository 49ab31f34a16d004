export * from './cursor-codec';
export * from './page-query.dto';
